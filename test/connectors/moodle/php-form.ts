/**
 * How PHP reads a form body into `$_POST`: `users[0][username]=x` becomes nested arrays. The fake
 * Moodle decodes requests this way, so it sees exactly what a real server would.
 */
export type FormTree = string | FormTree[] | { [key: string]: FormTree };

export function decodeForm(params: URLSearchParams): Record<string, FormTree> {
  const root: Record<string, FormTree> = {};
  for (const [name, value] of params) {
    const m = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(name);
    if (!m) continue;
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^\]]*)\]/g)].map((x) => x[1]!)];
    let node: Record<string, FormTree> = root;
    path.forEach((key, i) => {
      if (i === path.length - 1) node[key] = value;
      else node = (node[key] ??= {}) as Record<string, FormTree>;
    });
  }
  return listify(root) as Record<string, FormTree>;
}

/** `{0: a, 1: b}` -> `[a, b]`, as PHP's numerically indexed arrays read back in JSON order. */
function listify(node: FormTree): FormTree {
  if (typeof node === 'string') return node;
  const entries = Object.entries(node).map(([k, v]) => [k, listify(v)] as const);
  if (entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v);
  }
  return Object.fromEntries(entries);
}

/** The function's own parameters of a recorded request (token, function and format left out). */
export function callParams(params: URLSearchParams): Record<string, FormTree> {
  const { wstoken: _t, wsfunction: _f, moodlewsrestformat: _r, ...rest } = decodeForm(params);
  return rest;
}
