import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, identityMessage } from '../../src/identity/index.js';

describe('identity message', () => {
  it('sorts keys at every depth, drops undefined, keeps arrays in order', () => {
    expect(canonicalJson({ plan: 'pro', a: { z: 1, b: [3, { y: true, x: null }] }, gone: undefined })).toBe('{"a":{"b":[3,{"x":null,"y":true}],"z":1},"plan":"pro"}');
    expect(identityMessage('user-1', { seats: 12, plan: 'pro' })).toBe('user-1\n{"plan":"pro","seats":12}');
    expect(identityMessage('user-1')).toBe('user-1\n{}');
  });

  it('gives the signature the README shows for Python (sort_keys, compact separators)', () => {
    // json.dumps({"plan": "pro", "seats": 12}, sort_keys=True, separators=(",", ":")) == '{"plan":"pro","seats":12}'
    const signature = createHmac('sha256', 'whsec_test').update(identityMessage('u1', { seats: 12, plan: 'pro' })).digest('hex');
    expect(signature).toBe(createHmac('sha256', 'whsec_test').update('u1\n{"plan":"pro","seats":12}').digest('hex'));
  });
});
