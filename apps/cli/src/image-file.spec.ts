import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG_SIGNATURE } from '@cutout/testing';
import { checkImageFile, InputFileError, sniffImageType } from './image-file';

const PNG = Buffer.concat([PNG_SIGNATURE, Buffer.from([0, 0, 0, 13])]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);

describe('image files', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'cutout-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: Buffer | string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const failure = async (p: string) => {
    const error = await checkImageFile(p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputFileError);
    return error as InputFileError;
  };

  it('recognises JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(WEBP)).toBe('image/webp');
    expect(sniffImageType(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });

  it('accepts images by content, whatever the extension', async () => {
    expect(await checkImageFile(file('a.png', PNG))).toBe('image/png');
    expect(await checkImageFile(file('b.JPEG', JPEG))).toBe('image/jpeg');
    expect(await checkImageFile(file('c.webp', WEBP))).toBe('image/webp');
    expect(await checkImageFile(file('misnamed.jpg', PNG))).toBe('image/png');
  });

  it('explains what is wrong', async () => {
    expect(await failure(path.join(dir, 'missing.png'))).toMatchObject({
      code: 'FILE_NOT_FOUND',
      message: expect.stringContaining('no such file'),
    });
    expect(await failure(file('notes.txt', 'hello'))).toMatchObject({
      code: 'UNSUPPORTED_IMAGE',
      message: expect.stringContaining('not a JPEG, PNG or WebP image (only JPEG, PNG and WebP'),
    });
    expect(await failure(file('fake.png', 'hello'))).toMatchObject({
      code: 'UNSUPPORTED_IMAGE',
      message: expect.stringContaining('its content is not PNG'),
    });
    expect(await failure(file('empty.jpg', ''))).toMatchObject({ code: 'UNSUPPORTED_IMAGE' });
    mkdirSync(path.join(dir, 'folder.png'));
    expect(await failure(path.join(dir, 'folder.png'))).toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringContaining('not a regular file'),
    });
  });
});
