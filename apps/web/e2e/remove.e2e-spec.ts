import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import sharp from 'sharp';
import {
  aPhoto,
  aVerifiedUser,
  seriousA11yViolations,
  screenshots,
  signedInToRemove,
  signInThroughUi,
  startE2e,
  VIEWPORTS,
  type E2e,
} from './harness';
import { idsNamed } from '../../api/testing/file-names';

/**
 * The main job in a real Chromium with the real inference service (tiny model): pick a photo, the
 * card's bar reaches 100 %, the result shows in the comparison slider and downloads, and the
 * balance in the header goes down by the job's price.
 */
describe('remove a background', () => {
  let e2e: E2e;
  beforeAll(async () => {
    e2e = await startE2e();
  }, 120_000);
  afterAll(() => e2e?.close());

  it('uploads a photo, follows its progress to 100 %, shows the result in the slider and downloads it; the balance goes down', async () => {
    const { visit, page, header, photo } = await signedInToRemove(e2e, 'remover');
    await page.getByLabel('Choose images').setInputFiles(photo);
    const card = page.getByRole('listitem', { name: photo.name });
    await card.waitFor();
    await page.getByRole('button', { name: /^Remove background · / }).click();
    // The card sits under the options, below the fold: the run brings it into view.
    const inView = (el: SVGElement | HTMLElement) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight - 100;
    };
    await page.waitForFunction(inView, await card.elementHandle(), { timeout: 5_000 });

    const bar = card.getByRole('progressbar', { name: `Progress of ${photo.name}` });
    await bar.and(page.locator('[aria-valuenow="100"]')).waitFor();
    const slider = card.getByRole('slider', { name: `Compare before and after: ${photo.name}` });
    await slider.waitFor();
    const after = card.getByRole('img', { name: `${photo.name}: background removed` });
    await after.waitFor();
    expect(await after.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Download' }).click()]);
    const file = await download.path();
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.hasAlpha]).toEqual(['png', true]);

    // The job's price (0.25 up to 0.25 MP, 1 above) has left the balance.
    const [{ credits_charged_quarters: charged }] = await e2e.t.sql<{ credits_charged_quarters: number }>(
      'SELECT credits_charged_quarters FROM jobs',
    );
    expect([1, 4]).toContain(charged);
    await header.getByText(charged === 1 ? '9.75 credits' : '9 credits').waitFor();

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'remove-backgrounds-result');
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });

  it('keeps the batch while the person visits other pages: a finished card shows its result again, a photo not yet run waits, nothing runs twice', async () => {
    // Regression: the cards lived in the page, so a visit to History (or any page) dropped them and the results with them.
    const { visit, page, photo } = await signedInToRemove(e2e, 'wanderer');
    await page.getByLabel('Choose images').setInputFiles(photo);
    await page.getByRole('button', { name: /^Remove background · / }).click();
    const card = page.getByRole('listitem', { name: photo.name });
    await card.getByRole('link', { name: 'Download' }).waitFor();
    const later = { ...photo, name: `later-${photo.name}` };
    await page.getByLabel('Choose images').setInputFiles(later);
    await page.getByRole('listitem', { name: later.name }).waitFor();
    const jobs = async () => (await e2e.t.sql<{ n: string }>('SELECT count(*) AS n FROM jobs'))[0].n;
    const before = await jobs();

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    await nav.getByRole('link', { name: 'Remove backgrounds' }).click();
    await page.getByRole('heading', { name: 'Remove backgrounds', level: 1 }).waitFor();

    await card.getByRole('slider', { name: `Compare before and after: ${photo.name}` }).waitFor();
    await card.getByRole('link', { name: 'Download' }).waitFor();
    expect(await card.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await page.getByRole('listitem', { name: later.name }).waitFor();
    await page.getByRole('button', { name: /^Remove background · / }).waitFor(); // only the photo not yet run
    await page.waitForTimeout(1000); // a second run would have been asked for by now
    expect(await jobs()).toBe(before);
    expect(visit.pageErrors()).toEqual([]);
  });

  it('adds photos dropped anywhere on the page, not only on the drop zone, and stays on the page', async () => {
    // Regression (found in review): a photo dropped beside the drop zone was opened by the browser in place of the app.
    const { visit, page, photo } = await signedInToRemove(e2e, 'dropper');
    const url = page.url();
    const drop = async (selector: string, name: string) => {
      const bytes = [...photo.buffer];
      await page.evaluate(
        ({ selector, name, bytes }) => {
          const data = new DataTransfer();
          data.items.add(new File([new Uint8Array(bytes)], name, { type: 'image/png' }));
          const target = document.querySelector(selector) as HTMLElement;
          target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
          target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        },
        { selector, name, bytes },
      );
    };
    await drop('h1', 'beside.png');
    await drop('.dropzone', 'inside.png');
    await page.getByRole('listitem', { name: 'beside.png' }).waitFor();
    await page.getByRole('listitem', { name: 'inside.png' }).waitFor();
    // Each drop added its photo once (the drop zone's drop is not added again by the page's).
    for (const name of ['beside.png', 'inside.png']) expect(await page.getByRole('listitem', { name }).count()).toBe(1);
    expect(page.url()).toBe(url);
    expect(visit.pageErrors()).toEqual([]);
  });

  it('lays the options out without empty space: beside the background on a wide screen, its swatches on one line; stacked on a phone', async () => {
    const { visit, page } = await signedInToRemove(e2e, 'layout');
    const box = async (locator: Locator) => {
      const found = await locator.boundingBox();
      if (!found) throw new Error(`${locator.toString()} is not shown`);
      return { top: found.y, bottom: found.y + found.height, left: found.x, right: found.x + found.width };
    };
    const swatchTops = async () => {
      const group = page.getByRole('group', { name: 'Background' });
      const items = [...(await group.getByRole('button').all()), group.getByLabel('Pick a background colour')];
      expect(items.length).toBe(7);
      return new Set(await Promise.all(items.map(async (item) => Math.round((await box(item)).top))));
    };
    const size = await box(page.getByLabel('Size'));
    const colourCode = await box(page.getByLabel('Colour code'));
    const crop = await box(page.getByRole('checkbox', { name: 'Crop to the subject' }));
    const high = await box(page.getByRole('switch', { name: 'High quality (2× credits)' }));
    // Wide: the switches start level with the background, to its right, right under the choices.
    expect(crop.top).toBeLessThan(colourCode.top);
    expect(crop.left).toBeGreaterThan(colourCode.right);
    expect(crop.top - size.bottom).toBeLessThan(64);
    expect(high.bottom).toBeLessThan(colourCode.bottom + 64);
    expect((await swatchTops()).size).toBe(1);

    // A phone: one column, the switches under the background, nothing wider than the screen.
    await page.setViewportSize(VIEWPORTS.phone);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const phoneCode = await box(page.getByLabel('Colour code'));
    const phoneCrop = await box(page.getByRole('checkbox', { name: 'Crop to the subject' }));
    expect(phoneCrop.top).toBeGreaterThan(phoneCode.bottom);
    expect((await swatchTops()).size).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await page.setViewportSize(VIEWPORTS.desktop);
    await screenshots(page, 'remove-options');
    expect(visit.pageErrors()).toEqual([]);
  });

  it('downloads every result as one zip built in the browser, with unique, safe names; an expired result is named in a sentence', async () => {
    const user = await aVerifiedUser(e2e.t, 'zipper');
    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, user);
    await page.getByRole('heading', { name: 'Remove backgrounds' }).waitFor();

    // Three images, two of them with the same name: their entries must not overwrite each other.
    const photo = await aPhoto();
    const stem = photo.name.replace(/\.[^.]+$/, '');
    const files = [photo, { ...photo, name: 'zip-second.photo.jpg' }, photo];
    await page.getByLabel('Choose images').setInputFiles(files);
    const cards = page.getByRole('list', { name: 'Images' }).getByRole('listitem');
    await page.getByRole('button', { name: /^Remove 3 backgrounds · / }).click();
    for (let i = 0; i < files.length; i++) {
      await cards.nth(i).getByRole('link', { name: 'Download' }).waitFor();
    }

    const downloadAll = page.getByRole('button', { name: 'Download all (3)' });
    const [download] = await Promise.all([page.waitForEvent('download'), downloadAll.click()]);
    expect(download.suggestedFilename()).toMatch(/^cutout-\d{8}-\d{4}\.zip$/);
    const entries = unzipSync(new Uint8Array(readFileSync(await download.path())));
    expect(Object.keys(entries)).toEqual([`${stem}-cutout.png`, 'zip-second.photo-cutout.png', `${stem}-cutout (2).png`]);
    for (const [name, bytes] of Object.entries(entries)) {
      const meta = await sharp(Buffer.from(bytes)).metadata();
      expect([name, meta.format, meta.hasAlpha]).toEqual([name, 'png', true]);
      expect(meta.width).toBeGreaterThan(0);
      expect(meta.height).toBeGreaterThan(0);
    }
    await page.getByRole('button', { name: 'Download all (3)', disabled: false }).waitFor();

    // The retention policy deletes one result: the next zip names the file and says why.
    const [secondJob] = await idsNamed(e2e.t, 'jobs', 'zip-second.photo.jpg');
    await e2e.t.sql(`UPDATE jobs SET result_purged_at = now() WHERE id = $1`, [secondJob]);
    await downloadAll.click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Could not add zip-second.photo.jpg to the zip: This result was deleted by your team’s retention policy.' })
      .waitFor();
    // Its card stops offering it and says why; "Download all" counts the two still there.
    const purged = page.getByRole('listitem', { name: 'zip-second.photo.jpg' });
    await purged.getByRole('status').filter({ hasText: 'This result was deleted by your team’s retention policy.' }).waitFor();
    expect(await purged.getByRole('link', { name: 'Download' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Download all (2)' }).waitFor();

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshots(page, 'remove-backgrounds-download-all');

    // After a visit to another page the kept batch still knows (regression: the card offered the deleted result again).
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
    await nav.getByRole('link', { name: 'Remove backgrounds' }).click();
    await purged.getByRole('status').filter({ hasText: 'This result was deleted by your team’s retention policy.' }).waitFor();
    expect(await purged.getByRole('link', { name: 'Download' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Download all (2)' }).waitFor();
    expect(visit.offsite()).toEqual([]);
    expect(visit.pageErrors()).toEqual([]);
  });
});
