/**
 * PHP-bracket form encoding of Moodle web service parameters.
 *
 * Moodle's REST server reads `$_POST`, which PHP builds from `users[0][username]=jdoe` pairs into
 * nested arrays (webservice/rest/locallib.php `parse_request()`,
 * https://github.com/moodle/moodle/blob/main/webservice/rest/locallib.php). Every pair is one PHP
 * input variable, and PHP silently drops pairs beyond `max_input_vars`: that is why the count
 * matters as much as the encoding.
 */

/** A parameter value as Moodle's external API accepts it. */
export type FormValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly FormValue[]
  | { readonly [key: string]: FormValue };

export type FormParams = { readonly [key: string]: FormValue };

/**
 * Flattens nested params into `[name, value]` pairs in a stable order.
 *
 * - booleans become `1`/`0`: `validate_param()` compares `(string)$value` with its cleaned form,
 *   so `"true"` would be rejected (moodle.md §1);
 * - `null`/`undefined` are omitted, so Moodle applies the parameter's default;
 * - an empty array or object produces no pair at all: PHP cannot express it, and Moodle then
 *   falls back to the `VALUE_DEFAULT` of that parameter.
 */
export function encodePairs(params: FormParams): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) collect(key, value, pairs);
  return pairs;
}

function collect(name: string, value: FormValue, out: Array<[string, string]>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'boolean') {
    out.push([name, value ? '1' : '0']);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`parameter ${name} is not a finite number`);
    out.push([name, String(value)]);
  } else if (typeof value === 'string') {
    out.push([name, value]);
  } else if (isList(value)) {
    value.forEach((item, index) => collect(`${name}[${index}]`, item, out));
  } else {
    for (const [key, item] of Object.entries(value)) collect(`${name}[${key}]`, item, out);
  }
}

function isList(value: FormValue): value is readonly FormValue[] {
  return Array.isArray(value);
}

/** The `application/x-www-form-urlencoded` body axios sends for these params. */
export function toSearchParams(params: FormParams): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of encodePairs(params)) body.append(name, value);
  return body;
}

/** How many PHP input variables these params take (the fixed wstoken etc. not included). */
export function countInputVars(params: FormParams): number {
  return encodePairs(params).length;
}
