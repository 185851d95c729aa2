// V8 serialization (the structured-clone wire format, version 15) of queue messages: the default
// format before queues_json_messages (compatibility date 2024-03-18) and contentType "v8".
// Expected bytes recorded from workerd 2026-11-17.
import { eq, deq, respond, takeLog, one, OK, hex } from 'common.js';

const VECTORS = [
  ['str', 'x', 'ff0f220178'], ['empty', '', 'ff0f2200'], ['latin1', 'caf\u00e9', 'ff0f2204636166e9'],
  ['utf16', 'h\u20ac', 'ff0f63046800ac20'], ['utf16b', 'ab\u20ac', 'ff0f630661006200ac20'],
  ['padded', { ab: '\u20ac' }, 'ff0f6f22026162006302ac207b01'],
  ['int', 5, 'ff0f490a'], ['neg', -5, 'ff0f4909'], ['big', 2 ** 30, 'ff0f4e000000000000d041'],
  ['smimax', 2 ** 30 - 1, 'ff0f49feffffff07'], ['smimin', -(2 ** 30), 'ff0f49ffffffff07'], ['dbl', 1.5, 'ff0f4e000000000000f83f'],
  ['negzero', -0, 'ff0f4e0000000000000080'], ['nan', NaN, 'ff0f4e000000000000f87f'], ['i32', 2 ** 31 - 1, 'ff0f4e0000c0ffffffdf41'],
  ['true', true, 'ff0f54'], ['false', false, 'ff0f46'], ['null', null, 'ff0f30'],
  ['obj', { a: 1, b: 'x' }, 'ff0f6f22016149022201622201787b02'], ['nested', { a: { b: [1, 2] } }, 'ff0f6f2201616f2201624102490249042400027b017b01'],
  ['arr', [1, 'a', null], 'ff0f4103490222016130240003'], ['sparse', [1, , 3], 'ff0f61034900490249044906400203'],
  ['props', Object.assign([1], { x: 2 }), 'ff0f410149022201784904240101'],
  ['date', new Date(1700000000000), 'ff0f4400008056febc7842'], ['re', /ab+c/gi, 'ff0f52220461622b6303'],
  ['bigint', 123n, 'ff0f5a107b00000000000000'], ['bigneg', -(2n ** 70n), 'ff0f5a2100000000000000004000000000000000'], ['big0', 0n, 'ff0f5a00'],
  ['map', new Map([['k', 1]]), 'ff0f3b22016b49023a02'], ['set', new Set([1, 'a']), 'ff0f2749022201612c02'],
  ['ab', new Uint8Array([1, 2, 3]).buffer, 'ff0f4203010203'], ['u8', new Uint8Array([1, 2, 3]), 'ff0f42030102035642000300'],
  ['u16sub', new Uint16Array([1, 2, 3]).subarray(1), 'ff0f42060100020003005657020400'], ['dv', new DataView(new ArrayBuffer(2)), 'ff0f42020000563f000200'],
  ['f32', new Float32Array([1.5]), 'ff0f42040000c03f5666000400'], ['i64', new BigInt64Array([1n]), 'ff0f420801000000000000005671000800'],
  ['ref', (() => { const o = { z: 1 }; return { a: o, b: o }; })(), 'ff0f6f2201616f22017a49027b012201625e017b02'],
  ['numkey', { 1: 'a', b: 2, 0: 'c' }, 'ff0f6f4900220163490222016122016249047b03'],
  ['boolobj', new Boolean(true), 'ff0f79'], ['numobj', new Number(2), 'ff0f6e0000000000000040'], ['strobj', new String('s'), 'ff0f73220173'],
  ['emptyobj', {}, 'ff0f6f7b00'], ['emptyarr', [], 'ff0f4100240000'], ['undefprop', { a: undefined }, 'ff0f6f2201615f7b01'],
  ['long', 'x'.repeat(200), 'ff0f22c801' + '78'.repeat(200)],
];

export const defaultFormat = {
  async test(ctrl, env) {
    await takeLog(env);
    await respond(env, OK);
    await env.Q.send({ a: 1 });
    const r = await one(env);
    deq(r.headers, [['content-type', 'application/octet-stream']], 'no X-Msg-Fmt: V8 by default');
    eq(hex(r.body), 'ff0f6f22016149027b01');
    await respond(env, OK);
    await env.Q.sendBatch([{ body: 'x' }, { body: 'y', contentType: 'json' }]);
    eq((await one(env)).body, '{"messages":[{"body":"/w8iAXg="},{"body":"Inki","contentType":"json"}]}');
  },
};

export const vectors = {
  async test(ctrl, env) {
    await takeLog(env);
    for (const [name, value, expected] of VECTORS) {
      await respond(env, OK);
      await env.Q.send(value, { contentType: 'v8' });
      eq(hex((await one(env)).body), expected, name);
    }
  },
};
