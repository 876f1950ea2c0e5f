// onnx-inspector command line: `onnx-inspector COMMAND ...`. Dispatches through the command table; any
// failure is one line on stderr and a non-zero exit code.
import { commandHelp, parseArgs } from './args';
import { CliIo, Command, UsageError } from './command';
import { COMMANDS } from './commands';
import { describeError } from './errors';
import { version } from '../../package.json';

const stdio: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function usage(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: onnx-inspector COMMAND [options]', '',
    '       onnx-inspector --version', '',
    'Inspect and edit ONNX models. Edits always write a new file.', '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.synopsis}`),
    '', 'Run `onnx-inspector COMMAND --help` for a command\'s options.', '',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo = stdio, commands: readonly Command[] = COMMANDS): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.out(usage(commands));
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      io.out(`onnx-inspector ${version}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command '${name}'; commands: ${commands.map((c) => c.name).join(', ')}`);
    const args = parseArgs(command, rest);
    if (args.flags.has('help')) {
      io.out(commandHelp(command));
      return 0;
    }
    return (await command.run(args, io)) ?? 0;
  } catch (e) {
    if (process.env.ONNX_INSPECTOR_DEBUG) io.err(`${(e as Error)?.stack ?? String(e)}\n`);
    const { line, code } = describeError(e);
    io.err(`onnx-inspector: ${line}\n`);
    return code;
  }
}

if (require.main === module) {
  // main reports its own errors; a rejection here would be a bug in that reporting: still one line, exit 1.
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => { process.stderr.write(`onnx-inspector: internal error: ${String(e)}\n`); process.exitCode = 1; },
  );
}
