import { describe, expect, it } from 'vitest';
import { countInputVars, encodePairs, toSearchParams } from '../../../connectors/moodle/encode.ts';

describe('PHP-bracket form encoding', () => {
  it('encodes nested lists and objects the way PHP rebuilds them', () => {
    const pairs = encodePairs({
      users: [
        {
          username: 'jdoe',
          customfields: [{ type: 'house', value: 'red' }],
        },
      ],
    });
    expect(pairs).toEqual([
      ['users[0][username]', 'jdoe'],
      ['users[0][customfields][0][type]', 'house'],
      ['users[0][customfields][0][value]', 'red'],
    ]);
  });

  it('sends booleans as 1/0 and numbers as decimal text', () => {
    expect(encodePairs({ suspended: true, createpassword: false, courseid: 42 })).toEqual([
      ['suspended', '1'],
      ['createpassword', '0'],
      ['courseid', '42'],
    ]);
  });

  it('omits undefined, null and empty lists so Moodle applies its defaults', () => {
    expect(encodePairs({ a: undefined, b: null, options: [], criteria: {}, c: '' })).toEqual([
      ['c', ''],
    ]);
  });

  it('keeps Cyrillic text intact through form encoding', () => {
    const body = toSearchParams({ users: [{ lastname: 'Иванова' }] }).toString();
    expect(new URLSearchParams(body).get('users[0][lastname]')).toBe('Иванова');
  });

  it('counts one input variable per leaf value', () => {
    const user = { username: 'a', firstname: 'b', lastname: 'c', email: 'd', idnumber: 'e' };
    expect(countInputVars({ users: [user, user, user] })).toBe(15);
    expect(countInputVars({ field: 'idnumber', values: ['x', 'y'] })).toBe(3);
  });

  it('refuses a non-finite number rather than sending "NaN"', () => {
    expect(() => encodePairs({ courseid: Number.NaN })).toThrow(/finite/);
  });
});
