// What a CLI command is: its name, usage text, options and a run function. main.ts dispatches on a table of
// these (commands.ts), so new commands (run, compare) are one file plus one line there.

export interface OptionSpec {
  /** Long name without dashes, e.g. 'output'. */
  name: string;
  short?: string;
  /** A flag takes no value; a string option takes one (`--name value` or `--name=value`). */
  kind: 'flag' | 'string';
  /** String options given several times keep every value. */
  repeatable?: boolean;
  help: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string[]>;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** The argument synopsis after the command name, e.g. 'MODEL --inputs a,b --outputs c -o OUT'. */
  synopsis: string;
  positionals: { name: string; optional?: boolean }[];
  options: OptionSpec[];
  /** Returns the exit code (0 when omitted). Errors are thrown and reported by main.ts on one line. */
  run(args: ParsedArgs, io: CliIo): Promise<number | void>;
}

/** A usage mistake (unknown option, missing argument): reported with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the command explains itself (exit code 1). */
export class CliError extends Error {
  override name = 'CliError';
}

/** The value of a string option given at most once. */
export function single(args: ParsedArgs, name: string): string | undefined {
  const v = args.values.get(name);
  if (v && v.length > 1) throw new UsageError(`--${name} is given ${v.length} times; give it once`);
  return v?.[0];
}

/** Tensor names from comma-separated, possibly repeated options (`--inputs a,b --inputs c`). */
export function nameList(args: ParsedArgs, name: string): string[] {
  return (args.values.get(name) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}
