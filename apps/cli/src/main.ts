import { parseCliArgs, USAGE, UsageError } from './cli-args';
import { removePartialFilesSync } from './output-file';
import { jobsInFlight, runRemove, type CommandIo } from './remove-command';

/** The whole CLI as a function: returns the exit code (0 ok, 1 a file failed, 2 usage error). */
export async function main(argv: string[], env: Record<string, string | undefined>, io: CommandIo): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`cutout: ${error.message}\nRun \`cutout --help\` for usage.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return runRemove(command.args, io);
}

/** What Ctrl-C prints (on stderr): the jobs it left running on the server, by id, so they can be found again. */
export function interruptNotice(running: readonly string[]): string {
  const ids = running.length ? `: ${running.join(', ')}` : '';
  return `\ncutout: interrupted (jobs already submitted keep running on the server${ids})\n`;
}

/** Runs the CLI on this process and exits with its code. */
export function run(): void {
  process.once('SIGINT', () => {
    removePartialFilesSync();
    // On stderr: stdout may be a stream of JSON lines (--json) that a notice would break.
    process.stderr.write(interruptNotice(jobsInFlight()));
    process.exit(130);
  });
  // A reader that stops reading (`cutout remove … | head -1`): the run goes on and writes its files, its output unread.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  main(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr })
    .catch((error: unknown) => {
      process.stderr.write(`cutout: ${(error as Error).stack ?? String(error)}\n`);
      return 1;
    })
    // Exit once the output is flushed, without waiting for idle keep-alive sockets.
    .then((code) => process.stdout.write('', () => process.exit(code)));
}

if (require.main === module) run();
