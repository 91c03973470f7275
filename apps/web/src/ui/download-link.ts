/**
 * Starts the browser's download of `href` (an object URL, or a link the API answers as an attachment)
 * through a hidden link, so the page stays where it is.
 */
export function startDownload(href: string, filename = ''): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}
