import sharp from 'sharp';
import { aPhoto, aVerifiedUser, seriousA11yViolations, screenshots, signInThroughUi, startE2e, type E2e } from './harness';

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
    const user = await aVerifiedUser(e2e.t, 'remover');
    const visit = await e2e.open('/sign-in');
    const { page } = visit;
    await signInThroughUi(page, user);
    await page.getByRole('heading', { name: 'Remove backgrounds' }).waitFor();
    const header = page.getByRole('banner');
    await header.getByText('10 credits').waitFor();

    const photo = await aPhoto();
    await page.getByLabel('Choose images').setInputFiles(photo);
    const card = page.getByRole('listitem', { name: photo.name });
    await card.waitFor();
    await page.getByRole('button', { name: /^Remove background · / }).click();

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
});
