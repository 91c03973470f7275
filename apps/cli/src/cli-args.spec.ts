import { DEFAULT_API_URL, parseCliArgs, UsageError, type CliCommand, type RemoveCommandArgs } from './cli-args';

const KEY = 'ck_test123';
const remove = (argv: string[], env: Record<string, string> = {}): RemoveCommandArgs => {
  const command: CliCommand = parseCliArgs(argv, env);
  if (command.kind !== 'remove') throw new Error(`expected remove, got ${command.kind}`);
  return command.args;
};
const usageError = (argv: string[], env: Record<string, string> = {}): string => {
  try {
    parseCliArgs(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('parseCliArgs', () => {
  it('parses a minimal remove command with defaults', () => {
    expect(remove(['remove', 'a.jpg', 'b.png', '--api-key', KEY])).toEqual({
      files: ['a.jpg', 'b.png'],
      apiKey: KEY,
      apiUrl: DEFAULT_API_URL,
      teamId: undefined,
      outDir: undefined,
      concurrency: 2,
      json: false,
      overwrite: false,
      newJob: false,
      options: { size: 'FULL', type: 'CUTOUT', format: 'PNG', crop: false, refine: false },
    });
  });

  it('maps every flag to the API input', () => {
    const args = remove([
      'remove',
      'a.jpg',
      '--api-key',
      KEY,
      '--api-url',
      'https://api.example.com/',
      '--team',
      't1',
      '--out',
      'out',
      '--size',
      'preview',
      '--type',
      'mask',
      '--format',
      'webp',
      '--bg-color',
      '#ff000080',
      '--crop',
      '--crop-margin',
      '5%',
      '--refine',
      '--quality',
      '80',
      '--model',
      'medium',
      '--mode',
      'high',
      '--concurrency',
      '4',
      '--json',
    ]);
    expect(args).toMatchObject({ apiUrl: 'https://api.example.com', teamId: 't1', outDir: 'out', concurrency: 4, json: true });
    expect(args.options).toEqual({
      size: 'PREVIEW',
      type: 'MASK',
      format: 'WEBP',
      bgColor: '#ff000080',
      crop: true,
      cropMargin: '5%',
      refine: true,
      quality: 80,
      model: 'medium',
      mode: 'HIGH',
    });
  });

  it('sends --mode high and --no-decontaminate, and leaves the defaults out (so default runs keep their idempotency keys)', () => {
    const base = ['remove', 'a.jpg', '--api-key', KEY];
    expect(remove([...base, '--mode', 'high', '--no-decontaminate']).options).toEqual({
      size: 'FULL',
      type: 'CUTOUT',
      format: 'PNG',
      crop: false,
      refine: false,
      mode: 'HIGH',
      decontaminate: false,
    });
    expect(remove([...base, '--mode', 'standard']).options).toEqual(remove(base).options);
    expect(remove(base).options).not.toHaveProperty('mode');
    expect(remove(base).options).not.toHaveProperty('decontaminate');
  });

  it('takes --mode, --type and --format in any case, as --size already was', () => {
    const base = ['remove', 'a.jpg', '--api-key', KEY, '--bg-color', '#ffffff'];
    expect(remove([...base, '--mode', 'HIGH', '--type', 'Cutout', '--format', 'JPG']).options).toEqual(
      remove([...base, '--mode', 'high', '--type', 'cutout', '--format', 'jpg']).options,
    );
    expect(remove([...base, '--mode', 'High']).options).toMatchObject({ mode: 'HIGH' });
    expect(remove([...base, '--type', 'MASK']).options).toMatchObject({ type: 'MASK' });
    expect(remove([...base, '--format', 'WebP']).options).toMatchObject({ format: 'WEBP' });
  });

  it('takes an --api-url given with its /graphql path as the API it names', () => {
    // Regression (review): `--api-url …/graphql` answered HTTP_404 for every file, with no hint why.
    expect(remove(['remove', 'a.jpg', '--api-key', KEY, '--api-url', 'https://cutout.example.com/graphql/']).apiUrl).toBe(
      'https://cutout.example.com',
    );
  });

  it('takes a megapixel count as --size (maxMegapixels)', () => {
    expect(remove(['remove', 'a.jpg', '--api-key', KEY, '--size', '2.5']).options).toMatchObject({ maxMegapixels: 2.5 });
    expect(remove(['remove', 'a.jpg', '--api-key', KEY, '--size', '2.5']).options.size).toBeUndefined();
    expect(remove(['remove', 'a.jpg', '--api-key', KEY, '--size', 'FULL']).options.size).toBe('FULL');
  });

  it('reads CUTOUT_API_KEY and CUTOUT_API_URL; flags win', () => {
    const env = { CUTOUT_API_KEY: 'ck_env', CUTOUT_API_URL: 'http://api.local:8080' };
    expect(remove(['remove', 'a.jpg'], env)).toMatchObject({ apiKey: 'ck_env', apiUrl: 'http://api.local:8080' });
    expect(remove(['remove', 'a.jpg', '--api-key', KEY, '--api-url', 'http://other'], env)).toMatchObject({
      apiKey: KEY,
      apiUrl: 'http://other',
    });
  });

  it('accepts a jpg cutout with an opaque background, and jpg masks without one', () => {
    for (const color of ['#fff', '#ffffff', '#ffffffff', '#123456FF']) {
      expect(remove(['remove', 'a.jpg', '--api-key', KEY, '--format', 'jpg', '--bg-color', color]).options).toMatchObject({
        format: 'JPG',
        bgColor: color,
      });
    }
    expect(remove(['remove', 'a.jpg', '--api-key', KEY, '--format', 'jpg', '--type', 'mask']).options).toMatchObject({
      format: 'JPG',
      type: 'MASK',
    });
  });

  it('never echoes an API key that slipped out of its flag into the command position', () => {
    // Regression (review): `cutout --api-key= ck_SECRET remove a.png` printed "Unknown command 'ck_SECRET'".
    let message = '';
    try {
      parseCliArgs(['--api-key=', 'ck_live_SECRET123', 'remove', 'a.png']);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Unknown command ck_… \(an API key\?\)/);
    expect(message).not.toContain('SECRET');
  });

  it('asks for help', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['remove', '-h'])).toEqual({ kind: 'help' });
  });

  it.each<[string, string[], RegExp]>([
    ['no command', [], /No command/],
    ['unknown command', ['erase', 'a.jpg', '--api-key', KEY], /Unknown command 'erase'/],
    ['no files', ['remove', '--api-key', KEY], /No files/],
    ['missing api key', ['remove', 'a.jpg'], /Missing API key.*CUTOUT_API_KEY/],
    ['malformed api key', ['remove', 'a.jpg', '--api-key', 'secret'], /ck_/],
    ['unknown flag', ['remove', 'a.jpg', '--api-key', KEY, '--colour', 'red'], /Unknown option '--colour'/],
    ['flag without value', ['remove', 'a.jpg', '--api-key'], /--api-key/],
    ['value for a boolean flag', ['remove', 'a.jpg', '--api-key', KEY, '--crop=yes'], /--crop/],
    ['bad size', ['remove', 'a.jpg', '--api-key', KEY, '--size', 'huge'], /^--size must be preview, full or a megapixel count/],
    ['zero megapixels', ['remove', 'a.jpg', '--api-key', KEY, '--size', '0'], /^--size/],
    ['too many megapixels', ['remove', 'a.jpg', '--api-key', KEY, '--size', '501'], /^--size/],
    // Regression (review): Number() read these as 16 and 10 megapixels.
    ['hex megapixels', ['remove', 'a.jpg', '--api-key', KEY, '--size', '0x10'], /^--size/],
    ['exponent megapixels', ['remove', 'a.jpg', '--api-key', KEY, '--size', '1e1'], /^--size/],
    ['bad type', ['remove', 'a.jpg', '--api-key', KEY, '--type', 'alpha'], /^--type must be cutout or mask/],
    ['bad format', ['remove', 'a.jpg', '--api-key', KEY, '--format', 'gif'], /^--format must be png, webp or jpg/],
    ['bad bg-color', ['remove', 'a.jpg', '--api-key', KEY, '--bg-color', 'blue'], /^--bg-color must be a hex colour/],
    ['jpg cutout without bg-color', ['remove', 'a.jpg', '--api-key', KEY, '--format', 'jpg'], /^--bg-color is needed \(opaque\) for jpg/],
    [
      'jpg cutout with translucent bg-color',
      ['remove', 'a.jpg', '--api-key', KEY, '--format', 'jpg', '--bg-color', '#ffffff80'],
      /^--bg-color is needed/,
    ],
    ['crop-margin without crop', ['remove', 'a.jpg', '--api-key', KEY, '--crop-margin', '10px'], /^--crop-margin needs --crop/],
    ['bad crop-margin', ['remove', 'a.jpg', '--api-key', KEY, '--crop', '--crop-margin', '10em'], /^--crop-margin is pixels/],
    ['crop-margin over 100%', ['remove', 'a.jpg', '--api-key', KEY, '--crop', '--crop-margin', '150%'], /^--crop-margin is at most 100%/],
    ['bad mode', ['remove', 'a.jpg', '--api-key', KEY, '--mode', 'ultra'], /^--mode must be standard or high/],
    ['mode without value', ['remove', 'a.jpg', '--api-key', KEY, '--mode'], /--mode/],
    [
      'no-decontaminate with a mask',
      ['remove', 'a.jpg', '--api-key', KEY, '--type', 'mask', '--no-decontaminate'],
      /^--no-decontaminate applies to cut-outs only/,
    ],
    ['value for --no-decontaminate', ['remove', 'a.jpg', '--api-key', KEY, '--no-decontaminate=yes'], /--no-decontaminate/],
    ['quality with png', ['remove', 'a.jpg', '--api-key', KEY, '--quality', '80'], /^--quality applies to webp and jpg only/],
    ['quality out of range', ['remove', 'a.jpg', '--api-key', KEY, '--format', 'webp', '--quality', '101'], /^--quality must be 1–100/],
    [
      'quality not a number',
      ['remove', 'a.jpg', '--api-key', KEY, '--format', 'webp', '--quality', 'high'],
      /^--quality must be a whole number/,
    ],
    ['bad model', ['remove', 'a.jpg', '--api-key', KEY, '--model', '../etc'], /^--model is a model id/],
    ['zero concurrency', ['remove', 'a.jpg', '--api-key', KEY, '--concurrency', '0'], /^--concurrency must be 1–16/],
    ['fractional concurrency', ['remove', 'a.jpg', '--api-key', KEY, '--concurrency', '1.5'], /^--concurrency must be a whole number/],
    ['bad api url', ['remove', 'a.jpg', '--api-key', KEY, '--api-url', 'ftp://x'], /^--api-url must be an http\(s\) URL/],
    ['empty team', ['remove', 'a.jpg', '--api-key', KEY, '--team', ''], /--team needs a team id/],
    ['empty out', ['remove', 'a.jpg', '--api-key', KEY, '--out', ''], /--out needs a folder/],
  ])('refuses %s', (_name, argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });
});
