import { extensionOf, extensionOfType, resultFileName, uniqueNames, zipFileName } from './zip-names';

describe('zip entry names', () => {
  it('keeps the original stem and adds -cutout with the result format’s extension', () => {
    expect(resultFileName('beach.jpg', extensionOf('PNG'))).toBe('beach-cutout.png');
    expect(resultFileName('photo.final.JPEG', extensionOf('WEBP'))).toBe('photo.final-cutout.webp');
    expect(resultFileName('no-extension', extensionOf('JPG'))).toBe('no-extension-cutout.jpg');
  });

  it('never yields a path: separators, reserved and control characters, leading dots', () => {
    expect(resultFileName('../../etc/passwd.png', 'png')).toBe('passwd-cutout.png');
    expect(resultFileName('C:\\Users\\me\\cat.png', 'png')).toBe('cat-cutout.png');
    expect(resultFileName('a:b*c?"d"<e>|f\u0000g.png', 'png')).toBe('a_b_c__d__e__f_g-cutout.png');
    expect(resultFileName('.hidden.png', 'png')).toBe('hidden-cutout.png');
    expect(resultFileName('...png', 'png')).toBe('image-cutout.png');
    expect(resultFileName('.png', 'png')).toBe('image-cutout.png');
    expect(resultFileName('dir/', 'png')).toBe('image-cutout.png');
    expect(resultFileName(`${'x'.repeat(300)}.png`, 'png')).toBe(`${'x'.repeat(100)}-cutout.png`);
    for (const name of ['a/b.png', 'a\\b.png', '../x.png']) expect(resultFileName(name, 'png')).not.toMatch(/[/\\]|^\./);
  });

  it('makes names unique in order, ignoring case, without colliding with names that already look numbered', () => {
    expect(uniqueNames(['a.png', 'a.png', 'b.png', 'a.png'])).toEqual(['a.png', 'a (2).png', 'b.png', 'a (3).png']);
    expect(uniqueNames(['A.png', 'a.png'])).toEqual(['A.png', 'a (2).png']);
    expect(uniqueNames(['a (2).png', 'a.png', 'a.png'])).toEqual(['a (2).png', 'a.png', 'a (3).png']);
    expect(uniqueNames(['noext', 'noext'])).toEqual(['noext', 'noext (2)']);
  });

  it('maps formats and content types to extensions', () => {
    expect(['PNG', 'JPG', 'WEBP'].map((f) => extensionOf(f as never))).toEqual(['png', 'jpg', 'webp']);
    expect(extensionOfType('image/jpeg')).toBe('jpg');
    expect(extensionOfType('IMAGE/WEBP; charset=binary')).toBe('webp');
    expect(extensionOfType('application/json')).toBeUndefined();
    expect(extensionOfType(null)).toBeUndefined();
  });

  it('names the zip after the local date and minute', () => {
    expect(zipFileName(new Date(2026, 0, 5, 9, 7))).toBe('cutout-20260105-0907.zip');
    expect(zipFileName(new Date(2026, 10, 30, 23, 59))).toBe('cutout-20261130-2359.zip');
  });
});
