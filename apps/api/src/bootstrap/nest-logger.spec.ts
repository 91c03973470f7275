import { Writable } from 'node:stream';
import { createLogger } from '../common/logger';
import { NestPinoLogger } from './nest-logger';

describe('NestPinoLogger', () => {
  it("writes no email address from Nest's own messages and traces (they arrive as strings, not under err)", () => {
    // Regression (found in review): the error serializer cleaned `err`, but Nest's exception text went in as it was.
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const nest = new NestPinoLogger(createLogger('trace', 'api', sink));
    nest.error(
      '550 5.1.1 <someone.unique@mail.example>: user unknown',
      'Error: refused someone.unique@mail.example\n    at send',
      'Mailer',
    );
    nest.warn('could not mail someone.unique@mail.example', 'Mailer');
    nest.log('hello someone.unique@mail.example');
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toContain('someone.unique');
    const [error] = lines.map((l) => JSON.parse(l) as { msg: string; trace?: string; context?: string });
    expect(error).toMatchObject({
      msg: '550 5.1.1 <[address]>: user unknown',
      trace: 'Error: refused [address]\n    at send',
      context: 'Mailer',
    });
  });
});
