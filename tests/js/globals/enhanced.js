// With enhanced_error_serialization (2026-04-21) structuredClone keeps an error's own
// enumerable properties, a custom name, and AggregateError.
import { eq, same, ok, throws, rejects } from './assert.js';

export default {
  test() {
    const e = new Error('m');
    e.name = 'Custom';
    e.code = 5;
    e.obj = { a: 1 };
    const c = structuredClone(e);
    same([c.name, c.constructor, c.code, c.obj, c.message], ['Custom', Error, 5, { a: 1 }, 'm']);
    same(Object.keys(c).sort(), ['code', 'name', 'obj', 'stack']);
    const a = structuredClone(new AggregateError([1, new Error('inner')], 'agg'));
    same([a.constructor, a.name, a.message, a.errors[0], a.errors[1].message], [AggregateError, 'AggregateError', 'agg', 1, 'inner']);
    same(Object.getOwnPropertyNames(structuredClone(new Error())).sort(), ['message', 'stack']);
  },
};
