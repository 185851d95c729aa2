/* Shared declarations of the workerd_py.engine._quickjs extension.
 *
 * _quickjs.c   module init, Runtime, Context, JSObject handles, value conversion, errors
 * _hostclass.c HostClass: process-wide class specs exposed as JS classes per context
 *
 * Ownership rules (read before editing):
 *  - Every JSValue stored in a C struct is owned (JS_DupValue'd) and freed exactly once.
 *  - Python objects referenced from the JS heap (host functions, host class instances)
 *    are held through a PyRef record linked in the Context that created them, so
 *    Context.tp_traverse shows them to Python's cyclic GC (a context reachable only through
 *    its own host functions is garbage; tp_clear closes it). When a context closes, PyRefs
 *    still held by JS objects move to the Runtime's list.
 *  - Finalizers run inside QuickJS (possibly during its GC): they never run Python code.
 *    A last reference is queued (defer_decref) and dropped at the next safe point.
 *  - JS runs only with the GIL held; the Runtime tracks the entry depth.
 */
#ifndef WORKERD_PY_QJS_H
#define WORKERD_PY_QJS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include "quickjs.h"

typedef struct PyRef {
    struct PyRef *prev, *next;
    PyObject *obj;
    struct RuntimeObject *owner;
} PyRef;

typedef struct RuntimeObject {
    PyObject_HEAD
    JSRuntime *rt;
    PyObject *normalize;      /* callable or NULL */
    PyObject *load;           /* callable or NULL */
    PyObject *tracker;        /* callable or NULL */
    PyObject *last_base;      /* str: importer of the last normalized specifier */
    double deadline;
    int has_deadline;
    int depth;                /* nesting of Python->JS entries */
    unsigned long owner;      /* thread running JS while depth > 0 */
    int compile_stub;         /* > 0: the module loader returns empty stub modules */
    int n_contexts;
    size_t memory_limit;
    size_t stack_size;
    PyObject *pend_type, *pend_value, *pend_tb;   /* Python BaseException crossing JS */
    PyRef refs;               /* sentinel: PyRefs of closed contexts still held by JS */
    PyObject **decrefs;       /* deferred last references */
    Py_ssize_t n_decrefs, cap_decrefs;
    PyObject *weakreflist;
} RuntimeObject;

typedef struct HandleObject HandleObject;

typedef struct ContextObject {
    PyObject_HEAD
    RuntimeObject *rt;
    JSContext *ctx;           /* NULL once closed */
    HandleObject *handles;    /* live handles (for invalidation on close) */
    int busy;                 /* entries from Python running in this context */
    PyRef refs;               /* sentinel: PyRefs created in this context (see tp_traverse) */
    PyObject *loading;        /* dict name -> JSModuleDef* (int) loaded by the current evaluation */
    PyObject *modules;        /* dict name -> JSModuleDef* (int) of successfully evaluated modules */
    PyObject *weakreflist;
} ContextObject;

struct HandleObject {
    PyObject_HEAD
    ContextObject *ctx;
    JSValue val;
    HandleObject *prev, *next;
};

typedef struct HostClassObject {
    PyObject_HEAD
    PyObject *name;
    char *cname;
    PyObject *ctor;             /* callable or NULL */
    struct HostClassObject *parent;
    PyObject *keep;             /* list keeping every callable alive */
    int with_this;
    int chain;                  /* receiver_chain: accessors also work through the prototype chain */
    int index;
    JSClassID class_id;
    int ctor_magic;
    int ctor_length;
    JSCFunctionListEntry *proto_entries;
    int n_proto;
    JSCFunctionListEntry *static_entries;
    int n_static;
} HostClassObject;

/* globals (_quickjs.c) */
extern PyTypeObject Runtime_Type, Context_Type, Handle_Type, HostClass_Type;
extern PyObject *g_undefined, *g_BigInt, *g_SyntheticModule, *g_EngineError, *g_JSError,
    *g_Interrupted, *g_OutOfMemory, *g_DOMError, *g_Throw;
extern JSClassID g_class_base;

/* helpers (_quickjs.c) */
PyObject *js_to_py(ContextObject *c, JSValueConst v);
JSValue py_to_js(ContextObject *c, PyObject *o);           /* JS_EXCEPTION + Python error */
PyObject *raise_js_error(ContextObject *c, JSContext *ctx); /* always returns NULL */
JSValue throw_py_error(ContextObject *c, JSContext *ctx);   /* Python error -> JS exception */
PyObject *new_handle(ContextObject *c, JSValue v);         /* takes ownership of v */
PyRef *pyref_new(ContextObject *c, PyObject *obj);          /* new strong ref, listed in c */
void pyref_release(PyRef *ref);
void flush_decrefs(RuntimeObject *r);
int check_open(ContextObject *c);
/* fn([first,] [this,] *args) -> JS value; a Python error becomes a JS exception */
JSValue call_py(ContextObject *c, JSContext *ctx, PyObject *fn, PyObject *first,
                JSValueConst this_val, int pass_this, int argc, JSValueConst *argv);
PyObject *call_py_raw(ContextObject *c, JSContext *ctx, PyObject *fn, PyObject *first,
                      JSValueConst this_val, int pass_this, int argc, JSValueConst *argv);
ContextObject *ctx_object(JSContext *ctx);                  /* NULL + JS exception if closed */

static inline void rt_enter(RuntimeObject *r)
{
    if (r->depth++ == 0) {
        r->owner = PyThread_get_thread_ident();
        JS_UpdateStackTop(r->rt);
    }
}

/* -1 + EngineError if another thread is inside this runtime (a host function released the GIL) */
int check_thread(RuntimeObject *r);

static inline void rt_leave(RuntimeObject *r)
{
    if (--r->depth == 0 && r->n_decrefs)
        flush_decrefs(r);
}

static inline void ctx_enter(ContextObject *c)
{
    c->busy++;
    rt_enter(c->rt);
}

static inline void ctx_leave(ContextObject *c)
{
    c->busy--;
    rt_leave(c->rt);
}

/* _hostclass.c */
int hostclass_init_module(PyObject *m);
int hostclass_ensure(ContextObject *c, HostClassObject *cls, JSValue *proto_out);
HostClassObject *hostclass_of(JSValueConst v);
PyObject *hostclass_unwrap(JSValueConst v, HostClassObject *want);
void hostclass_finalizer(JSRuntime *rt, JSValueConst val);

#endif
