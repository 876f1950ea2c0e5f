// Argument parsing for one command against its option table: strict (unknown options are errors) and small.
import { Command, ParsedArgs, UsageError } from './command';

export const HELP_OPTION = { name: 'help', short: 'h', kind: 'flag', help: 'show this help' } as const;

export function parseArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const options = [...command.options, HELP_OPTION];
  const byLong = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short).map((o) => [o.short!, o]));
  const parsed: ParsedArgs = { positionals: [], flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq >= 0 ? arg.slice(0, eq) : arg;
    const opt = key.startsWith('--') ? byLong.get(key.slice(2)) : key.length === 2 ? byShort.get(key.slice(1)) : undefined;
    if (!opt) throw new UsageError(`unknown option '${key}' for '${command.name}'`);
    if (opt.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`option '${key}' takes no value`);
      parsed.flags.add(opt.name);
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new UsageError(`option '${key}' needs a value`);
    const list = parsed.values.get(opt.name) ?? [];
    list.push(value);
    parsed.values.set(opt.name, list);
  }
  if (parsed.flags.has('help')) return parsed;
  const required = command.positionals.filter((p) => !p.optional).length;
  if (parsed.positionals.length < required) {
    throw new UsageError(`'${command.name}' needs ${command.positionals.map((p) => p.name).join(' ')}`);
  }
  if (parsed.positionals.length > command.positionals.length) {
    throw new UsageError(`unexpected argument '${parsed.positionals[command.positionals.length]}' for '${command.name}'`);
  }
  return parsed;
}

export function commandHelp(command: Command): string {
  const lines = [`usage: onnx-inspector ${command.name} ${command.synopsis}`, '', command.summary, ''];
  const opts = [...command.options, HELP_OPTION];
  const label = (o: (typeof opts)[number]) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.kind === 'string' ? ' VALUE' : ''}`;
  const width = Math.max(...opts.map((o) => label(o).length));
  lines.push('options:');
  for (const o of opts) lines.push(`  ${label(o).padEnd(width)}  ${o.help}`);
  return lines.join('\n') + '\n';
}
