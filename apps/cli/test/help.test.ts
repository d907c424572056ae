import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const commands = ['train', 'eval', 'predict', 'submit', 'report', 'sanity', 'augment', 'inspect', 'convert', 'bench', 'export', 'import'];

/** The options of a command's --help, each with its whole (unwrapped) description. */
function optionsOf(help: string): { flags: string; text: string }[] {
  const section = help.slice(help.indexOf('Options:') + 'Options:'.length);
  const entries: { flags: string; text: string }[] = [];
  for (const line of section.split('\n')) {
    const start = /^ {2}(-\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (start) entries.push({ flags: start[1], text: start[2] ?? '' });
    else if (line.trim() && entries.length > 0) entries[entries.length - 1].text += ` ${line.trim()}`;
  }
  return entries;
}

describe('nnkit <command> --help', () => {
  it.each(commands)('%s: every option that takes a value names its default (or says it is required)', (command) => {
    const run = runCli([command, '--help']);
    expect(run.code).toBe(0);
    const options = optionsOf(run.stdout);
    expect(options.length).toBeGreaterThan(1);
    const silent = options.filter(({ flags, text }) => flags.includes('<') && !/\((default: [^)]*|required)\)/.test(text)).map(({ flags }) => flags);
    expect(silent).toEqual([]);
  });

  it("train: --label-smoothing names the presets that smooth (an --arch network's loss does not)", () => {
    const option = optionsOf(runCli(['train', '--help']).stdout).find(({ flags }) => flags.startsWith('--label-smoothing'));
    expect(option?.text).toContain("(default: the network's own: 0.1 for record, record-ensemble; off otherwise and for an --arch network)");
  });
});
