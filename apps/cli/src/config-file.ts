import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { UsageError } from './errors.js';
import { readTextFile } from './paths.js';

const camelCase = (key: string): string => key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Reads a `--config` file (JSON, or YAML for .yaml/.yml) holding option values by their long
 * names (`batch-size` or `batchSize`). Each value goes through the same parser as on the command
 * line, so `epochs: -1` fails as `--epochs -1` would; an unknown key names the file and key.
 * `aliases` maps other accepted names (camelCase) to option names: `validationSplit` → `valSplit`.
 */
export function readConfigFile(path: string, allowed: readonly string[], command: Command, aliases: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  const text = readTextFile(path, '--config');
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(extname(path)) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0];
    throw new UsageError(`--config ${path}: not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${detail}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--config ${path}: expected an object of option names and values`);
  }
  const values: Record<string, unknown> = {};
  for (const [rawKey, rawValue] of Object.entries(parsed)) {
    const name = camelCase(rawKey);
    const key = Object.prototype.hasOwnProperty.call(aliases, name) ? aliases[name] : name;
    if (Object.prototype.hasOwnProperty.call(values, key)) throw new UsageError(`--config ${path}: ${rawKey}: the same option is given twice (under its other name too)`);
    // A switch with a --no- form (--test-each-epoch, --no-test-each-epoch) is read as the positive one.
    const options = command.options.filter((candidate) => candidate.attributeName() === key);
    const option = options.find((candidate) => !candidate.negate) ?? options[0];
    if (!option || !allowed.includes(key)) {
      throw new UsageError(`--config ${path}: unknown option '${rawKey}', expected one of ${[...allowed, ...Object.keys(aliases)].join(', ')}`);
    }
    if (option.isBoolean()) {
      // A switch (--skip-bad): true or false, as YAML and JSON write them.
      if (typeof rawValue !== 'boolean') throw new UsageError(`--config ${path}: ${rawKey}: expected true or false, got ${describeValue(rawValue)}`);
      values[key] = rawValue;
      continue;
    }
    if (rawValue === null || (typeof rawValue !== 'string' && typeof rawValue !== 'number')) {
      throw new UsageError(`--config ${path}: ${rawKey}: expected a string or number, got ${describeValue(rawValue)}`);
    }
    try {
      values[key] = option.parseArg ? option.parseArg(String(rawValue), undefined) : String(rawValue);
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw new UsageError(`--config ${path}: ${rawKey}: ${error.message}`);
      throw error;
    }
  }
  return values;
}

/** A config value as an error names it: null, a list, an object, or the value itself. */
function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value === 'string' ? `'${value}'` : String(value);
}
