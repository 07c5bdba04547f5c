/** A configuration problem: where in the file (path and line) and what is wrong. */
export interface Problem {
  path: string;
  line?: number | undefined;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'bad_config';
  constructor(
    readonly file: string,
    readonly problems: Problem[],
  ) {
    super(`${file}: ${problems.length} problem(s)\n${formatProblems(problems)}`);
    this.name = 'ConfigError';
  }
}

export function formatProblems(problems: Problem[]): string {
  return problems
    .map((p) => `  - ${p.path || '(root)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`)
    .join('\n');
}

export function pathToString(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out;
}
