/* workerd_py.engine._quickjs: a CPython binding of quickjs-ng (see README.md, _qjs.h). */
#include "_qjs.h"
#include <math.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

PyObject *g_undefined, *g_BigInt, *g_SyntheticModule, *g_EngineError, *g_JSError,
    *g_Interrupted, *g_OutOfMemory, *g_DOMError, *g_Throw;
JSClassID g_class_base;

#define NSTACK 8

/* ------------------------------------------------------------------ */
/* undefined                                                           */

static PyObject *undef_repr(PyObject *self) { return PyUnicode_FromString("undefined"); }
static int undef_bool(PyObject *self) { return 0; }
static PyObject *undef_reduce(PyObject *self, PyObject *unused) { return PyUnicode_FromString("undefined"); }
static PyNumberMethods undef_as_number = { .nb_bool = undef_bool };
static PyMethodDef undef_methods[] = {
    {"__reduce__", undef_reduce, METH_NOARGS, NULL},
    {NULL}
};
static PyTypeObject Undefined_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workerd_py.engine.UndefinedType",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_repr = undef_repr,
    .tp_as_number = &undef_as_number,
    .tp_methods = undef_methods,
    .tp_doc = "The type of engine.undefined (JavaScript's undefined).",
};
static PyObject undefined_obj = { _PyObject_EXTRA_INIT 1, &Undefined_Type };

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static inline double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int check_thread(RuntimeObject *r)
{
    if (r->depth > 0 && r->owner != PyThread_get_thread_ident()) {
        PyErr_SetString(g_EngineError, "the runtime is running JavaScript in another thread");
        return -1;
    }
    return 0;
}

int check_open(ContextObject *c)
{
    if (!c->ctx) {
        PyErr_SetString(g_EngineError, "the context is closed");
        return -1;
    }
    return check_thread(c->rt);
}

ContextObject *ctx_object(JSContext *ctx)
{
    ContextObject *c = JS_GetContextOpaque(ctx);
    if (!c)
        JS_ThrowInternalError(ctx, "the context is closed");
    return c;
}

static void defer_decref(RuntimeObject *r, PyObject *o)
{
    if (Py_REFCNT(o) > 1) {
        Py_DECREF(o);
        return;
    }
    if (r->n_decrefs == r->cap_decrefs) {
        Py_ssize_t cap = r->cap_decrefs ? r->cap_decrefs * 2 : 16;
        PyObject **n = PyMem_Realloc(r->decrefs, cap * sizeof(PyObject *));
        if (!n) {      /* out of memory: leak rather than run Python code inside the engine */
            return;
        }
        r->decrefs = n;
        r->cap_decrefs = cap;
    }
    r->decrefs[r->n_decrefs++] = o;
}

void flush_decrefs(RuntimeObject *r)
{
    while (r->n_decrefs > 0) {
        PyObject *o = r->decrefs[--r->n_decrefs];
        Py_DECREF(o);
    }
}

PyRef *pyref_new(ContextObject *c, PyObject *obj)
{
    RuntimeObject *r = c->rt;
    PyRef *ref = PyMem_Malloc(sizeof(PyRef));
    if (!ref) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_INCREF(obj);
    ref->obj = obj;
    ref->owner = r;
    ref->next = c->refs.next;
    ref->prev = &c->refs;
    c->refs.next->prev = ref;
    c->refs.next = ref;
    return ref;
}

void pyref_release(PyRef *ref)
{
    RuntimeObject *r = ref->owner;
    ref->prev->next = ref->next;
    ref->next->prev = ref->prev;
    defer_decref(r, ref->obj);
    PyMem_Free(ref);
}

/* ------------------------------------------------------------------ */
/* handles                                                             */

PyObject *new_handle(ContextObject *c, JSValue v)
{
    HandleObject *h = PyObject_GC_New(HandleObject, &Handle_Type);
    if (!h) {
        JS_FreeValue(c->ctx, v);
        return NULL;
    }
    Py_INCREF(c);
    h->ctx = c;
    h->val = v;
    h->prev = NULL;
    h->next = c->handles;
    if (c->handles)
        c->handles->prev = h;
    c->handles = h;
    PyObject_GC_Track(h);
    return (PyObject *)h;
}

static inline int is_handle(PyObject *o)
{
    return Py_IS_TYPE(o, &Handle_Type);
}

/* ------------------------------------------------------------------ */
/* JS -> Python                                                        */

static PyObject *js_string_to_py(ContextObject *c, JSContext *ctx, JSValueConst v)
{
    size_t len;
    const char *s = JS_ToCStringLen2(ctx, &len, v, false);
    if (!s)
        return raise_js_error(c, ctx);
    PyObject *res = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "surrogatepass");
    JS_FreeCString(ctx, s);
    return res;
}

static PyObject *js_to_py_ctx(ContextObject *c, JSContext *ctx, JSValueConst v)
{
    switch (JS_VALUE_GET_TAG(v)) {
    case JS_TAG_INT:
        return PyLong_FromLong(JS_VALUE_GET_INT(v));
    case JS_TAG_BOOL:
        return PyBool_FromLong(JS_VALUE_GET_BOOL(v));
    case JS_TAG_NULL:
        Py_RETURN_NONE;
    case JS_TAG_UNDEFINED:
    case JS_TAG_UNINITIALIZED:
        return Py_NewRef(g_undefined);
    case JS_TAG_FLOAT64: {
        double d = JS_VALUE_GET_FLOAT64(v);
        if (d >= -2147483648.0 && d <= 2147483647.0 && d == (double)(int32_t)d
            && !(d == 0 && signbit(d)))
            return PyLong_FromLong((long)(int32_t)d);
        return PyFloat_FromDouble(d);
    }
    case JS_TAG_STRING:
    case JS_TAG_STRING_ROPE:
        return js_string_to_py(c, ctx, v);
    case JS_TAG_SHORT_BIG_INT: {
        PyObject *n = PyLong_FromLongLong(JS_VALUE_GET_SHORT_BIG_INT(v));
        if (!n)
            return NULL;
        PyObject *res = PyObject_CallOneArg(g_BigInt, n);
        Py_DECREF(n);
        return res;
    }
    case JS_TAG_BIG_INT: {
        JSValue s = JS_ToString(ctx, v);
        if (JS_IsException(s))
            return raise_js_error(c, ctx);
        PyObject *str = js_string_to_py(c, ctx, s);
        JS_FreeValue(ctx, s);
        if (!str)
            return NULL;
        PyObject *n = PyLong_FromUnicodeObject(str, 10);
        Py_DECREF(str);
        if (!n)
            return NULL;
        PyObject *res = PyObject_CallOneArg(g_BigInt, n);
        Py_DECREF(n);
        return res;
    }
    default:
        return new_handle(c, JS_DupValue(ctx, v));
    }
}

PyObject *js_to_py(ContextObject *c, JSValueConst v)
{
    return js_to_py_ctx(c, c->ctx, v);
}

/* ------------------------------------------------------------------ */
/* Python -> JS                                                        */

static JSValue str_to_js(ContextObject *c, JSContext *ctx, PyObject *o)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(o);
    JSValue v;
    if (PyUnicode_IS_ASCII(o)) {
        v = JS_NewStringLen(ctx, (const char *)PyUnicode_DATA(o), (size_t)len);
    } else if (PyUnicode_KIND(o) == PyUnicode_2BYTE_KIND) {
        v = JS_NewStringUTF16(ctx, (const uint16_t *)PyUnicode_2BYTE_DATA(o), (size_t)len);
    } else if (PyUnicode_KIND(o) == PyUnicode_1BYTE_KIND) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(o, &n);
        if (!s)
            return JS_EXCEPTION;
        v = JS_NewStringLen(ctx, s, (size_t)n);
    } else {
#if PY_LITTLE_ENDIAN
        PyObject *b = PyUnicode_AsEncodedString(o, "utf-16-le", "surrogatepass");
#else
        PyObject *b = PyUnicode_AsEncodedString(o, "utf-16-be", "surrogatepass");
#endif
        if (!b)
            return JS_EXCEPTION;
        v = JS_NewStringUTF16(ctx, (const uint16_t *)PyBytes_AS_STRING(b),
                              (size_t)PyBytes_GET_SIZE(b) / 2);
        Py_DECREF(b);
    }
    if (JS_IsException(v)) {
        raise_js_error(c, ctx);
        return JS_EXCEPTION;
    }
    return v;
}

static JSValue int_to_js(ContextObject *c, JSContext *ctx, PyObject *o)
{
    int overflow;
    long long n = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (n == -1 && PyErr_Occurred())
        return JS_EXCEPTION;
    if (!overflow)
        return JS_NewInt64(ctx, n);
    double d = PyLong_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred())
        return JS_EXCEPTION;
    return JS_NewFloat64(ctx, d);
}

static JSValue bigint_to_js(ContextObject *c, JSContext *ctx, PyObject *o)
{
    int overflow;
    long long n = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (n == -1 && PyErr_Occurred())
        return JS_EXCEPTION;
    JSValue v;
    if (!overflow) {
        v = JS_NewBigInt64(ctx, n);
    } else {
        PyObject *s = PyNumber_ToBase(o, 10);
        if (!s)
            return JS_EXCEPTION;
        /* PyNumber_ToBase on an int subclass gives plain decimal digits */
        Py_ssize_t len;
        const char *cs = PyUnicode_AsUTF8AndSize(s, &len);
        JSValue str = JS_NewStringLen(ctx, cs, (size_t)len);
        Py_DECREF(s);
        if (JS_IsException(str)) {
            raise_js_error(c, ctx);
            return JS_EXCEPTION;
        }
        JSValue global = JS_GetGlobalObject(ctx);
        JSValue ctor = JS_GetPropertyStr(ctx, global, "BigInt");
        JS_FreeValue(ctx, global);
        v = JS_Call(ctx, ctor, JS_UNDEFINED, 1, &str);
        JS_FreeValue(ctx, ctor);
        JS_FreeValue(ctx, str);
    }
    if (JS_IsException(v)) {
        raise_js_error(c, ctx);
        return JS_EXCEPTION;
    }
    return v;
}

static JSValue new_py_function(ContextObject *c, JSContext *ctx, PyObject *fn,
                               const char *name, int length, int with_this);

static JSValue py_to_js_ctx(ContextObject *c, JSContext *ctx, PyObject *o);

/* A Python iterator as a JS iterator: { next() } inheriting from %IteratorPrototype% */
static JSValue pyiter_next(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv,
                           int magic, void *opaque)
{
    PyRef *ref = opaque;
    ContextObject *c = ctx_object(ctx);
    if (!c)
        return JS_EXCEPTION;
    PyObject *item = PyIter_Next(ref->obj);
    JSValue value = JS_UNDEFINED;
    if (!item) {
        if (PyErr_Occurred())
            return throw_py_error(c, ctx);
    } else {
        value = py_to_js_ctx(c, ctx, item);
        Py_DECREF(item);
        if (JS_IsException(value))
            return throw_py_error(c, ctx);
    }
    JSValue res = JS_NewObject(ctx);
    if (JS_IsException(res)) {
        JS_FreeValue(ctx, value);
        return res;
    }
    JS_DefinePropertyValueStr(ctx, res, "value", value, JS_PROP_C_W_E);
    JS_DefinePropertyValueStr(ctx, res, "done", JS_NewBool(ctx, item == NULL), JS_PROP_C_W_E);
    return res;
}

static void pyfn_finalize(void *opaque);

static JSValue new_js_iterator(ContextObject *c, JSContext *ctx, PyObject *it)
{
    JSValue proto = JS_UNDEFINED;
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue iter_ctor = JS_GetPropertyStr(ctx, global, "Iterator");
    JS_FreeValue(ctx, global);
    if (JS_IsObject(iter_ctor))
        proto = JS_GetPropertyStr(ctx, iter_ctor, "prototype");
    JS_FreeValue(ctx, iter_ctor);
    JSValue obj = JS_IsObject(proto) ? JS_NewObjectProto(ctx, proto) : JS_NewObject(ctx);
    JS_FreeValue(ctx, proto);
    if (JS_IsException(obj)) {
        raise_js_error(c, ctx);
        return obj;
    }
    PyRef *ref = pyref_new(c, it);
    if (!ref) {
        JS_FreeValue(ctx, obj);
        return JS_EXCEPTION;
    }
    JSValue next = JS_NewCClosure(ctx, pyiter_next, "next", pyfn_finalize, 0, 0, ref);
    if (JS_IsException(next)) {
        pyref_release(ref);
        JS_FreeValue(ctx, obj);
        raise_js_error(c, ctx);
        return JS_EXCEPTION;
    }
    if (JS_DefinePropertyValueStr(ctx, obj, "next", next, JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE) < 0) {
        JS_FreeValue(ctx, obj);
        raise_js_error(c, ctx);
        return JS_EXCEPTION;
    }
    return obj;
}

static int key_to_atom(ContextObject *c, JSContext *ctx, PyObject *key, JSAtom *out)
{
    if (PyUnicode_Check(key)) {
        if (PyUnicode_IS_ASCII(key)) {
            *out = JS_NewAtomLen(ctx, (const char *)PyUnicode_DATA(key),
                                 (size_t)PyUnicode_GET_LENGTH(key));
        } else {
            JSValue s = str_to_js(c, ctx, key);
            if (JS_IsException(s))
                return -1;
            *out = JS_ValueToAtom(ctx, s);
            JS_FreeValue(ctx, s);
        }
    } else if (PyLong_Check(key) && !PyBool_Check(key)) {
        long long n = PyLong_AsLongLong(key);
        if (n == -1 && PyErr_Occurred())
            return -1;
        if (n >= 0 && n < 0x7fffffff) {
            *out = JS_NewAtomUInt32(ctx, (uint32_t)n);
        } else {
            JSValue v = JS_NewInt64(ctx, n);
            *out = JS_ValueToAtom(ctx, v);
        }
    } else if (is_handle(key)) {
        HandleObject *h = (HandleObject *)key;
        if (h->ctx->rt != c->rt || !h->ctx->ctx) {
            PyErr_SetString(g_EngineError, "the key belongs to another runtime or a closed context");
            return -1;
        }
        *out = JS_ValueToAtom(ctx, h->val);
    } else {
        PyErr_Format(PyExc_TypeError, "property keys must be str, int or a symbol handle, not %.100s",
                     Py_TYPE(key)->tp_name);
        return -1;
    }
    if (*out == JS_ATOM_NULL) {
        raise_js_error(c, ctx);
        return -1;
    }
    return 0;
}

static JSValue dict_to_js(ContextObject *c, JSContext *ctx, PyObject *o)
{
    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj)) {
        raise_js_error(c, ctx);
        return JS_EXCEPTION;
    }
    Py_ssize_t pos = 0;
    PyObject *k, *val;
    while (PyDict_Next(o, &pos, &k, &val)) {
        JSAtom atom;
        if (key_to_atom(c, ctx, k, &atom) < 0)
            goto fail;
        JSValue jv = py_to_js_ctx(c, ctx, val);
        if (JS_IsException(jv)) {
            JS_FreeAtom(ctx, atom);
            goto fail;
        }
        int rc = JS_DefinePropertyValue(ctx, obj, atom, jv, JS_PROP_C_W_E);
        JS_FreeAtom(ctx, atom);
        if (rc < 0) {
            raise_js_error(c, ctx);
            goto fail;
        }
    }
    return obj;
fail:
    JS_FreeValue(ctx, obj);
    return JS_EXCEPTION;
}

static JSValue seq_to_js(ContextObject *c, JSContext *ctx, PyObject *o)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject **items = PySequence_Fast_ITEMS(o);
    JSValue arr = JS_NewArray(ctx);
    if (JS_IsException(arr)) {
        raise_js_error(c, ctx);
        return JS_EXCEPTION;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        JSValue jv = py_to_js_ctx(c, ctx, items[i]);
        if (JS_IsException(jv))
            goto fail;
        if (JS_DefinePropertyValueUint32(ctx, arr, (uint32_t)i, jv, JS_PROP_C_W_E) < 0) {
            raise_js_error(c, ctx);
            goto fail;
        }
    }
    return arr;
fail:
    JS_FreeValue(ctx, arr);
    return JS_EXCEPTION;
}

static JSValue py_to_js_ctx(ContextObject *c, JSContext *ctx, PyObject *o)
{
    if (o == Py_None)
        return JS_NULL;
    if (o == g_undefined)
        return JS_UNDEFINED;
    if (o == Py_True)
        return JS_TRUE;
    if (o == Py_False)
        return JS_FALSE;
    PyTypeObject *t = Py_TYPE(o);
    if (t == &Handle_Type) {
        HandleObject *h = (HandleObject *)o;
        if (h->ctx->rt != c->rt) {
            PyErr_SetString(g_EngineError, "the value belongs to another runtime");
            return JS_EXCEPTION;
        }
        if (!h->ctx->ctx) {
            PyErr_SetString(g_EngineError, "the value belongs to a closed context");
            return JS_EXCEPTION;
        }
        return JS_DupValue(ctx, h->val);
    }
    if (t == &PyUnicode_Type)
        return str_to_js(c, ctx, o);
    if (t == &PyLong_Type)
        return int_to_js(c, ctx, o);
    if (t == &PyFloat_Type)
        return JS_NewFloat64(ctx, PyFloat_AS_DOUBLE(o));
    if (PyObject_TypeCheck(o, (PyTypeObject *)g_BigInt))
        return bigint_to_js(c, ctx, o);
    if (PyLong_Check(o))
        return int_to_js(c, ctx, o);
    if (PyFloat_Check(o))
        return JS_NewFloat64(ctx, PyFloat_AsDouble(o));
    if (PyUnicode_Check(o))
        return str_to_js(c, ctx, o);
    if (PyBytes_Check(o)) {
        JSValue v = JS_NewUint8ArrayCopy(ctx, (const uint8_t *)PyBytes_AS_STRING(o),
                                         (size_t)PyBytes_GET_SIZE(o));
        if (JS_IsException(v))
            raise_js_error(c, ctx);
        return v;
    }
    if (PyByteArray_Check(o) || PyMemoryView_Check(o)) {
        Py_buffer view;
        if (PyObject_GetBuffer(o, &view, PyBUF_SIMPLE) < 0)
            return JS_EXCEPTION;
        JSValue v = JS_NewUint8ArrayCopy(ctx, view.buf, (size_t)view.len);
        PyBuffer_Release(&view);
        if (JS_IsException(v))
            raise_js_error(c, ctx);
        return v;
    }
    if (PyDict_Check(o) || PyList_Check(o) || PyTuple_Check(o)) {
        if (Py_EnterRecursiveCall(" while converting a Python value to JavaScript"))
            return JS_EXCEPTION;
        JSValue v;
        if (PyDict_Check(o)) {
            v = dict_to_js(c, ctx, o);
        } else {
            v = seq_to_js(c, ctx, o);
        }
        Py_LeaveRecursiveCall();
        return v;
    }
    if (PyIter_Check(o))
        return new_js_iterator(c, ctx, o);
    if (PyCallable_Check(o))
        return new_py_function(c, ctx, o, "", 0, 0);
    PyErr_Format(PyExc_TypeError, "cannot convert a %.100s to a JavaScript value", t->tp_name);
    return JS_EXCEPTION;
}

JSValue py_to_js(ContextObject *c, PyObject *o)
{
    return py_to_js_ctx(c, c->ctx, o);
}

/* ------------------------------------------------------------------ */
/* errors: JS -> Python                                                */

/* str(value) without letting a JS exception escape; NULL (no error set) on failure */
static PyObject *safe_js_str(ContextObject *c, JSContext *ctx, JSValueConst v)
{
    size_t len;
    const char *s = JS_ToCStringLen2(ctx, &len, v, false);
    if (!s) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return NULL;
    }
    PyObject *res = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "surrogatepass");
    JS_FreeCString(ctx, s);
    if (!res)
        PyErr_Clear();
    return res;
}

static PyObject *safe_js_prop_str(ContextObject *c, JSContext *ctx, JSValueConst obj, const char *name)
{
    JSValue v = JS_GetPropertyStr(ctx, obj, name);
    if (JS_IsException(v)) {
        JS_FreeValue(ctx, JS_GetException(ctx));
        return NULL;
    }
    PyObject *res = NULL;
    if (!JS_IsUndefined(v) && !JS_IsNull(v))
        res = safe_js_str(c, ctx, v);
    JS_FreeValue(ctx, v);
    return res;
}

PyObject *raise_js_error(ContextObject *c, JSContext *ctx)
{
    RuntimeObject *r = c->rt;
    JSValue exc = JS_GetException(ctx);
    if (r->pend_type) {
        JS_FreeValue(ctx, exc);
        PyErr_Restore(r->pend_type, r->pend_value, r->pend_tb);
        r->pend_type = r->pend_value = r->pend_tb = NULL;
        return NULL;
    }
    if (PyErr_Occurred()) {     /* a Python error is already set: keep it */
        JS_FreeValue(ctx, exc);
        return NULL;
    }
    PyObject *cls = g_JSError, *name = NULL, *message = NULL, *stack = NULL, *value = NULL;
    int uncatchable = JS_IsUncatchableError(exc);
    if (JS_IsObject(exc)) {
        name = safe_js_prop_str(c, ctx, exc, "name");
        message = safe_js_prop_str(c, ctx, exc, "message");
        stack = safe_js_prop_str(c, ctx, exc, "stack");
        if (!message && !JS_IsError(exc))
            message = safe_js_str(c, ctx, exc);
    } else if (JS_IsNull(exc) && r->memory_limit) {
        /* the engine throws null when it cannot even allocate the error */
        cls = g_OutOfMemory;
        name = PyUnicode_FromString("InternalError");
        message = PyUnicode_FromString("out of memory");
    } else {
        message = safe_js_str(c, ctx, exc);
    }
    if (uncatchable && message && PyUnicode_CompareWithASCIIString(message, "interrupted") == 0)
        cls = g_Interrupted;
    else if (name && message && PyUnicode_CompareWithASCIIString(name, "InternalError") == 0
             && PyUnicode_CompareWithASCIIString(message, "out of memory") == 0)
        cls = g_OutOfMemory;
    if (!name)
        name = PyUnicode_FromString(JS_IsError(exc) ? "Error" : "");
    if (!message)
        message = PyUnicode_FromString("");
    if (!stack)
        stack = PyUnicode_FromString("");
    if (cls == g_OutOfMemory) {
        /* do not allocate a handle for the error: memory is exhausted */
        value = Py_NewRef(Py_None);
    } else {
        value = js_to_py_ctx(c, ctx, exc);
        if (!value) {
            PyErr_Clear();
            value = Py_NewRef(Py_None);
        }
    }
    JS_FreeValue(ctx, exc);
    if (name && message && stack && value) {
        PyObject *err = PyObject_CallFunctionObjArgs(cls, message, name, stack, value, NULL);
        if (err) {
            PyErr_SetObject((PyObject *)Py_TYPE(err), err);
            Py_DECREF(err);
        }
    }
    Py_XDECREF(name);
    Py_XDECREF(message);
    Py_XDECREF(stack);
    Py_XDECREF(value);
    if (!PyErr_Occurred())
        PyErr_SetString(g_JSError, "JavaScript error");
    return NULL;
}

/* ------------------------------------------------------------------ */
/* errors: Python -> JS                                                */

static JSValue construct_global(JSContext *ctx, const char *ctor_name, int argc, JSValueConst *argv)
{
    JSValue global = JS_GetGlobalObject(ctx);
    JSValue ctor = JS_GetPropertyStr(ctx, global, ctor_name);
    JS_FreeValue(ctx, global);
    if (JS_IsException(ctor))
        return ctor;
    JSValue obj = JS_CallConstructor(ctx, ctor, argc, argv);
    JS_FreeValue(ctx, ctor);
    return obj;
}

static const char *const error_ctor_names[] = {
    "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError",
    "URIError", "InternalError", NULL
};

/* a new Error (standard name) or DOMException; JS_EXCEPTION with a pending JS exception */
static JSValue make_error(JSContext *ctx, const char *name, JSValue message /* owned */, int force_dom)
{
    JSValue obj;
    if (!force_dom) {
        for (int i = 0; error_ctor_names[i]; i++) {
            if (strcmp(name, error_ctor_names[i]) == 0) {
                obj = construct_global(ctx, name, 1, &message);
                JS_FreeValue(ctx, message);
                return obj;
            }
        }
    }
    JSValue args[2];
    args[0] = message;
    args[1] = JS_NewString(ctx, name);
    if (JS_IsException(args[1])) {
        JS_FreeValue(ctx, message);
        return JS_EXCEPTION;
    }
    obj = construct_global(ctx, "DOMException", 2, args);
    JS_FreeValue(ctx, args[0]);
    JS_FreeValue(ctx, args[1]);
    return obj;
}

static JSValue throw_with_message(ContextObject *c, JSContext *ctx, const char *ctor_name,
                                  PyObject *msg, int dom)
{
    JSValue jmsg = msg ? str_to_js(c, ctx, msg) : JS_NewString(ctx, "");
    if (JS_IsException(jmsg)) {
        PyErr_Clear();
        jmsg = JS_NewString(ctx, "<error message could not be converted>");
        if (JS_IsException(jmsg))
            return JS_EXCEPTION;
    }
    JSValue err = make_error(ctx, ctor_name, jmsg, dom);
    if (JS_IsException(err))
        return JS_EXCEPTION;
    return JS_Throw(ctx, err);
}

JSValue throw_py_error(ContextObject *c, JSContext *ctx)
{
    RuntimeObject *r = c->rt;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (!type)
        return JS_ThrowInternalError(ctx, "unknown Python error");
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value)
        PyException_SetTraceback(value, tb);
    JSValue ret = JS_EXCEPTION;

    if (!PyErr_GivenExceptionMatches(type, PyExc_Exception)) {
        /* KeyboardInterrupt, SystemExit, ...: unwind JS uncatchably, re-raise in Python */
        if (r->pend_type) {
            Py_DECREF(type);
            Py_XDECREF(value);
            Py_XDECREF(tb);
        } else {
            r->pend_type = type;
            r->pend_value = value;
            r->pend_tb = tb;
        }
        JS_ThrowInternalError(ctx, "Python exception");
        JSValue e = JS_GetException(ctx);
        JS_SetUncatchableError(ctx, e);
        return JS_Throw(ctx, e);
    }

    if (PyErr_GivenExceptionMatches(type, g_OutOfMemory)) {
        ret = JS_ThrowOutOfMemory(ctx);
    } else if (PyErr_GivenExceptionMatches(type, g_JSError) || PyErr_GivenExceptionMatches(type, g_Throw)) {
        PyObject *v = PyObject_GetAttrString(value, "value");
        JSValue jv = JS_EXCEPTION;
        if (v) {
            jv = py_to_js_ctx(c, ctx, v);
            Py_DECREF(v);
        }
        if (JS_IsException(jv)) {
            PyErr_Clear();
            PyObject *s = PyObject_Str(value);
            if (!s)
                PyErr_Clear();
            ret = throw_with_message(c, ctx, "Error", s, 0);
            Py_XDECREF(s);
        } else {
            if (PyErr_GivenExceptionMatches(type, g_Interrupted) && JS_IsObject(jv))
                JS_SetUncatchableError(ctx, jv);
            ret = JS_Throw(ctx, jv);
        }
    } else if (PyErr_GivenExceptionMatches(type, g_DOMError)) {
        PyObject *name = PyObject_GetAttrString(value, "name");
        PyObject *msg = name ? PyObject_GetAttrString(value, "message") : NULL;
        const char *cname = name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
        if (!cname || !msg || !PyUnicode_Check(msg)) {
            PyErr_Clear();
            ret = JS_ThrowInternalError(ctx, "invalid DOMError");
        } else {
            ret = throw_with_message(c, ctx, cname, msg, 1);
        }
        Py_XDECREF(name);
        Py_XDECREF(msg);
    } else {
        const char *ctor = "Error";
        if (PyErr_GivenExceptionMatches(type, PyExc_TypeError))
            ctor = "TypeError";
        else if (PyErr_GivenExceptionMatches(type, PyExc_ValueError)
                 || PyErr_GivenExceptionMatches(type, PyExc_OverflowError))
            ctor = "RangeError";
        PyObject *s = PyObject_Str(value);
        if (!s)
            PyErr_Clear();
        ret = throw_with_message(c, ctx, ctor, s, 0);
        Py_XDECREF(s);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    PyErr_Clear();
    return ret;
}

/* ------------------------------------------------------------------ */
/* Python callables as JS functions                                    */

PyObject *call_py_raw(ContextObject *c, JSContext *ctx, PyObject *fn, PyObject *first,
                      JSValueConst this_val, int pass_this, int argc, JSValueConst *argv)
{
    PyObject *stack[NSTACK + 3];
    PyObject **args = stack + 1;
    int n = argc + (first ? 1 : 0) + (pass_this ? 1 : 0);
    if (n > NSTACK + 2) {
        args = PyMem_Malloc((n + 1) * sizeof(PyObject *));
        if (!args)
            return PyErr_NoMemory();
        args++;
    }
    int i = 0, k;
    if (first) {
        Py_INCREF(first);
        args[i++] = first;
    }
    if (pass_this) {
        PyObject *t = js_to_py_ctx(c, ctx, this_val);
        if (!t)
            goto fail;
        args[i++] = t;
    }
    for (k = 0; k < argc; k++) {
        PyObject *a = js_to_py_ctx(c, ctx, argv[k]);
        if (!a)
            goto fail;
        args[i++] = a;
    }
    PyObject *res = PyObject_Vectorcall(fn, args, (size_t)n | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    for (k = 0; k < i; k++)
        Py_DECREF(args[k]);
    if (args != stack + 1)
        PyMem_Free(args - 1);
    return res;
fail:
    for (k = 0; k < i; k++)
        Py_DECREF(args[k]);
    if (args != stack + 1)
        PyMem_Free(args - 1);
    return NULL;
}

JSValue call_py(ContextObject *c, JSContext *ctx, PyObject *fn, PyObject *first,
                JSValueConst this_val, int pass_this, int argc, JSValueConst *argv)
{
    PyObject *res = call_py_raw(c, ctx, fn, first, this_val, pass_this, argc, argv);
    if (!res)
        return throw_py_error(c, ctx);
    JSValue ret = py_to_js_ctx(c, ctx, res);
    Py_DECREF(res);
    if (JS_IsException(ret))
        return throw_py_error(c, ctx);
    return ret;
}

static JSValue pyfn_trampoline(JSContext *ctx, JSValueConst this_val, int argc,
                               JSValueConst *argv, int magic, void *opaque)
{
    PyRef *ref = opaque;
    ContextObject *c = ctx_object(ctx);
    if (!c)
        return JS_EXCEPTION;
    if (c->rt->n_decrefs)
        flush_decrefs(c->rt);
    return call_py(c, ctx, ref->obj, NULL, this_val, magic, argc, argv);
}

static void pyfn_finalize(void *opaque)
{
    pyref_release((PyRef *)opaque);
}

static JSValue new_py_function(ContextObject *c, JSContext *ctx, PyObject *fn,
                               const char *name, int length, int with_this)
{
    PyRef *ref = pyref_new(c, fn);
    if (!ref)
        return JS_EXCEPTION;
    JSValue f = JS_NewCClosure(ctx, pyfn_trampoline, name, pyfn_finalize, length,
                               with_this ? 1 : 0, ref);
    if (JS_IsException(f)) {
        pyref_release(ref);
        raise_js_error(c, ctx);
        return JS_EXCEPTION;
    }
    return f;
}

/* ------------------------------------------------------------------ */
/* Runtime callbacks                                                   */

static int interrupt_handler(JSRuntime *rt, void *opaque)
{
    RuntimeObject *r = opaque;
    if (r->has_deadline && mono_now() >= r->deadline)
        return 1;
    if (r->pend_type == NULL && PyErr_CheckSignals() < 0) {
        PyErr_Fetch(&r->pend_type, &r->pend_value, &r->pend_tb);
        return 1;
    }
    return 0;
}

static void rejection_tracker(JSContext *ctx, JSValueConst promise, JSValueConst reason,
                              bool is_handled, void *opaque)
{
    RuntimeObject *r = opaque;
    ContextObject *c = JS_GetContextOpaque(ctx);
    if (!r->tracker || !c)
        return;
    PyObject *exc_type, *exc_value, *exc_tb;
    PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    PyObject *p = js_to_py_ctx(c, ctx, promise);
    PyObject *why = p ? js_to_py_ctx(c, ctx, reason) : NULL;
    if (p && why) {
        PyObject *tracker = Py_NewRef(r->tracker);
        PyObject *res = PyObject_CallFunctionObjArgs(tracker, p, why,
                                                     is_handled ? Py_True : Py_False, NULL);
        Py_DECREF(tracker);
        if (res)
            Py_DECREF(res);
    }
    Py_XDECREF(p);
    Py_XDECREF(why);
    if (PyErr_Occurred())
        PyErr_WriteUnraisable(r->tracker ? r->tracker : Py_None);
    PyErr_Restore(exc_type, exc_value, exc_tb);
}

static char *module_normalize(JSContext *ctx, const char *base, const char *name, void *opaque)
{
    RuntimeObject *r = opaque;
    ContextObject *c = ctx_object(ctx);
    if (!c)
        return NULL;
    PyObject *pbase = PyUnicode_DecodeUTF8(base, strlen(base), "surrogatepass");
    PyObject *pname = pbase ? PyUnicode_DecodeUTF8(name, strlen(name), "surrogatepass") : NULL;
    PyObject *res = NULL;
    if (pname) {
        PyObject *fn = Py_NewRef(r->normalize);
        res = PyObject_CallFunctionObjArgs(fn, pbase, pname, NULL);
        Py_DECREF(fn);
    }
    Py_XDECREF(pname);
    if (!res) {
        Py_XDECREF(pbase);
        throw_py_error(c, ctx);
        return NULL;
    }
    Py_XSETREF(r->last_base, pbase);
    if (!PyUnicode_Check(res)) {
        Py_DECREF(res);
        JS_ThrowTypeError(ctx, "module normalize() must return a str (resolving '%s' from '%s')", name, base);
        return NULL;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(res, &len);
    if (!s) {
        Py_DECREF(res);
        throw_py_error(c, ctx);
        return NULL;
    }
    char *out = js_strndup(ctx, s, (size_t)len);
    Py_DECREF(res);
    return out;
}

static int stub_module_init(JSContext *ctx, JSModuleDef *m) { return 0; }

static int synthetic_module_init(JSContext *ctx, JSModuleDef *m)
{
    JSValue obj = JS_GetModulePrivateValue(ctx, m);
    JSPropertyEnum *tab;
    uint32_t len;
    if (JS_GetOwnPropertyNames(ctx, &tab, &len, obj, JS_GPN_STRING_MASK) < 0) {
        JS_FreeValue(ctx, obj);
        return -1;
    }
    int rc = 0;
    for (uint32_t i = 0; i < len && rc == 0; i++) {
        const char *name = JS_AtomToCString(ctx, tab[i].atom);
        if (!name) {
            rc = -1;
            break;
        }
        JSValue v = JS_GetProperty(ctx, obj, tab[i].atom);
        if (JS_IsException(v))
            rc = -1;
        else if (JS_SetModuleExport(ctx, m, name, v) < 0)
            rc = -1;
        JS_FreeCString(ctx, name);
    }
    JS_FreePropertyEnum(ctx, tab, len);
    JS_FreeValue(ctx, obj);
    return rc;
}

static JSModuleDef *load_synthetic(ContextObject *c, JSContext *ctx, const char *name, PyObject *mod)
{
    PyObject *exports = PyObject_GetAttrString(mod, "exports");
    if (!exports) {
        throw_py_error(c, ctx);
        return NULL;
    }
    if (!PyDict_Check(exports)) {
        Py_DECREF(exports);
        JS_ThrowTypeError(ctx, "SyntheticModule.exports must be a dict (module '%s')", name);
        return NULL;
    }
    JSModuleDef *m = JS_NewCModule(ctx, name, synthetic_module_init);
    if (!m) {
        Py_DECREF(exports);
        return NULL;
    }
    JSValue obj = JS_NewObject(ctx);
    if (JS_IsException(obj)) {
        Py_DECREF(exports);
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(exports, &pos, &k, &v)) {
        const char *kn = PyUnicode_Check(k) ? PyUnicode_AsUTF8(k) : NULL;
        if (!kn) {
            PyErr_Clear();
            JS_ThrowTypeError(ctx, "SyntheticModule export names must be str (module '%s')", name);
            goto fail;
        }
        JSValue jv = py_to_js_ctx(c, ctx, v);
        if (JS_IsException(jv)) {
            throw_py_error(c, ctx);
            goto fail;
        }
        if (JS_AddModuleExport(ctx, m, kn) < 0
            || JS_DefinePropertyValueStr(ctx, obj, kn, jv, JS_PROP_C_W_E) < 0)
            goto fail;
    }
    Py_DECREF(exports);
    JS_SetModulePrivateValue(ctx, m, obj);
    return m;
fail:
    Py_DECREF(exports);
    JS_FreeValue(ctx, obj);
    return NULL;
}

/* Modules are remembered per context so import_module() of an evaluated module answers its
   namespace directly (quickjs-ng 0.17 never settles a re-evaluation of a module that became
   async through a dependency's top-level await). */
static int record_module(ContextObject *c, const char *name, JSModuleDef *m)
{
    if (!c->loading && !(c->loading = PyDict_New()))
        return -1;
    PyObject *p = PyLong_FromVoidPtr(m);
    if (!p)
        return -1;
    int rc = PyDict_SetItemString(c->loading, name, p);
    Py_DECREF(p);
    return rc;
}

static void commit_modules(ContextObject *c, int ok)
{
    if (!c->loading)
        return;
    if (ok) {
        if (!c->modules && !(c->modules = PyDict_New())) {
            PyErr_Clear();
            return;
        }
        if (PyDict_Update(c->modules, c->loading) < 0)
            PyErr_Clear();
    }
    PyDict_Clear(c->loading);
}

static JSModuleDef *module_loader(JSContext *ctx, const char *name, void *opaque)
{
    RuntimeObject *r = opaque;
    if (r->compile_stub)
        return JS_NewCModule(ctx, name, stub_module_init);
    ContextObject *c = ctx_object(ctx);
    if (!c)
        return NULL;
    const char *base = r->last_base ? PyUnicode_AsUTF8(r->last_base) : NULL;
    if (!base) {
        PyErr_Clear();
        base = "?";
    }
    if (!r->load) {
        JS_ThrowReferenceError(ctx, "Cannot find module '%s' imported from '%s': no module loader", name, base);
        return NULL;
    }
    PyObject *pname = PyUnicode_DecodeUTF8(name, strlen(name), "surrogatepass");
    if (!pname) {
        throw_py_error(c, ctx);
        return NULL;
    }
    PyObject *fn = Py_NewRef(r->load);
    PyObject *res = PyObject_CallOneArg(fn, pname);
    Py_DECREF(fn);
    Py_DECREF(pname);
    if (!res) {
        if (PyErr_ExceptionMatches(g_JSError) || PyErr_ExceptionMatches(g_Throw)
            || PyErr_ExceptionMatches(g_DOMError) || !PyErr_ExceptionMatches(PyExc_Exception)) {
            throw_py_error(c, ctx);
        } else {
            PyObject *t, *v, *tb;
            PyErr_Fetch(&t, &v, &tb);
            PyErr_NormalizeException(&t, &v, &tb);
            PyObject *s = v ? PyObject_Str(v) : NULL;
            const char *msg = s ? PyUnicode_AsUTF8(s) : NULL;
            PyErr_Clear();
            JS_ThrowReferenceError(ctx, "Cannot find module '%s' imported from '%s': %s: %s", name, base,
                                   ((PyTypeObject *)t)->tp_name, msg ? msg : "?");
            Py_XDECREF(s);
            Py_XDECREF(t);
            Py_XDECREF(v);
            Py_XDECREF(tb);
        }
        return NULL;
    }
    JSModuleDef *m = NULL;
    if (res == Py_None) {
        JS_ThrowReferenceError(ctx, "Cannot find module '%s' imported from '%s'", name, base);
    } else if (PyUnicode_Check(res)) {
        Py_ssize_t len;
        const char *src = PyUnicode_AsUTF8AndSize(res, &len);
        if (!src) {
            throw_py_error(c, ctx);
        } else {
            JSValue fv = JS_Eval(ctx, src, (size_t)len, name,
                                 JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
            if (!JS_IsException(fv)) {
                m = JS_VALUE_GET_PTR(fv);
                JS_FreeValue(ctx, fv);
            }
        }
    } else if (PyBytes_Check(res)) {
        JSValue fv = JS_ReadObject(ctx, (const uint8_t *)PyBytes_AS_STRING(res),
                                   (size_t)PyBytes_GET_SIZE(res), JS_READ_OBJ_BYTECODE);
        if (!JS_IsException(fv)) {
            if (JS_VALUE_GET_TAG(fv) != JS_TAG_MODULE) {
                JS_FreeValue(ctx, fv);
                JS_ThrowTypeError(ctx, "bytecode for module '%s' is not a module", name);
            } else {
                m = JS_VALUE_GET_PTR(fv);
                JS_FreeValue(ctx, fv);
            }
        }
    } else if (PyObject_TypeCheck(res, (PyTypeObject *)g_SyntheticModule)) {
        m = load_synthetic(c, ctx, name, res);
    } else {
        JS_ThrowTypeError(ctx, "module loader must return str, bytes or SyntheticModule for '%s', not %s",
                          name, Py_TYPE(res)->tp_name);
    }
    Py_DECREF(res);
    if (m && record_module(c, name, m) < 0)
        PyErr_Clear();
    return m;
}

/* ------------------------------------------------------------------ */
/* Runtime                                                             */

/* QuickJS's memory comes from pymalloc: small blocks share process-wide pools instead of
   per-runtime arenas, so an idle runtime keeps no partly used pages of its own. The GIL is
   always held while QuickJS runs (required by PyObject_Malloc). An 8-byte header records the
   size for js_malloc_usable_size (memory accounting and limits). */
#define QJS_HDR 8

static void *qjs_malloc(void *opaque, size_t size)
{
    size_t *p = PyObject_Malloc(size + QJS_HDR);
    if (!p)
        return NULL;
    p[0] = size;
    return (char *)p + QJS_HDR;
}

static void *qjs_calloc(void *opaque, size_t count, size_t size)
{
    if (size && count > (SIZE_MAX - QJS_HDR) / size)
        return NULL;
    size_t total = count * size;
    size_t *p = PyObject_Calloc(1, total + QJS_HDR);
    if (!p)
        return NULL;
    p[0] = total;
    return (char *)p + QJS_HDR;
}

static void qjs_free(void *opaque, void *ptr)
{
    if (ptr)
        PyObject_Free((char *)ptr - QJS_HDR);
}

static void *qjs_realloc(void *opaque, void *ptr, size_t size)
{
    if (!ptr)
        return qjs_malloc(opaque, size);
    size_t *p = PyObject_Realloc((char *)ptr - QJS_HDR, size + QJS_HDR);
    if (!p)
        return NULL;
    p[0] = size;
    return (char *)p + QJS_HDR;
}

static size_t qjs_usable_size(const void *ptr)
{
    return ptr ? *(const size_t *)((const char *)ptr - QJS_HDR) : 0;
}

static const JSMallocFunctions qjs_malloc_functions = {
    qjs_calloc, qjs_malloc, qjs_free, qjs_realloc, qjs_usable_size,
};

static PyObject *Runtime_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"memory_limit", "stack_size", NULL};
    Py_ssize_t memory_limit = 0, stack_size = 1 << 20;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|nn:Runtime", kwlist, &memory_limit, &stack_size))
        return NULL;
    if (memory_limit < 0 || stack_size < 0) {
        PyErr_SetString(PyExc_ValueError, "memory_limit and stack_size must be >= 0");
        return NULL;
    }
    RuntimeObject *self = (RuntimeObject *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    self->refs.next = self->refs.prev = &self->refs;
    self->rt = JS_NewRuntime2(&qjs_malloc_functions, NULL);
    if (!self->rt) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    JS_SetRuntimeOpaque(self->rt, self);
    self->memory_limit = (size_t)memory_limit;
    self->stack_size = (size_t)stack_size;
    JS_SetMemoryLimit(self->rt, (size_t)memory_limit);
    JS_SetMaxStackSize(self->rt, (size_t)stack_size);
    JS_SetInterruptHandler(self->rt, interrupt_handler, self);
    JS_SetHostPromiseRejectionTracker(self->rt, rejection_tracker, self);
    JS_SetModuleLoaderFunc(self->rt, NULL, module_loader, self);
    JS_SetCanBlock(self->rt, false);
    return (PyObject *)self;
}

static int Runtime_traverse(RuntimeObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->normalize);
    Py_VISIT(self->load);
    Py_VISIT(self->tracker);
    for (PyRef *p = self->refs.next; p != &self->refs; p = p->next)
        Py_VISIT(p->obj);
    return 0;
}

static int Runtime_clear(RuntimeObject *self)
{
    Py_CLEAR(self->normalize);
    Py_CLEAR(self->load);
    Py_CLEAR(self->tracker);
    return 0;
}

static void Runtime_dealloc(RuntimeObject *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakreflist)
        PyObject_ClearWeakRefs((PyObject *)self);
    if (self->rt) {
        self->depth++;
        JS_FreeRuntime(self->rt);
        self->rt = NULL;
        self->depth--;
    }
    flush_decrefs(self);
    PyMem_Free(self->decrefs);
    Runtime_clear(self);
    Py_CLEAR(self->last_base);
    Py_CLEAR(self->pend_type);
    Py_CLEAR(self->pend_value);
    Py_CLEAR(self->pend_tb);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Runtime_set_deadline(RuntimeObject *self, PyObject *t)
{
    if (t == Py_None) {
        self->has_deadline = 0;
        Py_RETURN_NONE;
    }
    double d = PyFloat_AsDouble(t);
    if (d == -1.0 && PyErr_Occurred())
        return NULL;
    self->deadline = d;
    self->has_deadline = 1;
    Py_RETURN_NONE;
}

static PyObject *Runtime_get_deadline(RuntimeObject *self, void *closure)
{
    if (!self->has_deadline)
        Py_RETURN_NONE;
    return PyFloat_FromDouble(self->deadline);
}

static PyObject *Runtime_set_module_loader(RuntimeObject *self, PyObject *args)
{
    PyObject *normalize, *load;
    if (!PyArg_ParseTuple(args, "OO:set_module_loader", &normalize, &load))
        return NULL;
    if ((normalize != Py_None && !PyCallable_Check(normalize)) || (load != Py_None && !PyCallable_Check(load))) {
        PyErr_SetString(PyExc_TypeError, "normalize and load must be callables or None");
        return NULL;
    }
    Py_XSETREF(self->normalize, normalize == Py_None ? NULL : Py_NewRef(normalize));
    Py_XSETREF(self->load, load == Py_None ? NULL : Py_NewRef(load));
    JS_SetModuleLoaderFunc(self->rt, self->normalize ? module_normalize : NULL, module_loader, self);
    Py_RETURN_NONE;
}

static PyObject *Runtime_set_rejection_tracker(RuntimeObject *self, PyObject *cb)
{
    if (cb != Py_None && !PyCallable_Check(cb)) {
        PyErr_SetString(PyExc_TypeError, "the rejection tracker must be callable or None");
        return NULL;
    }
    Py_XSETREF(self->tracker, cb == Py_None ? NULL : Py_NewRef(cb));
    Py_RETURN_NONE;
}

static PyObject *Runtime_run_jobs(RuntimeObject *self, PyObject *args)
{
    /* run_jobs(slice=0.0, until=0.0): with slice > 0, each job gets its own deadline of
       min(now + slice, until): a long chain of short jobs is not one long run of JS. */
    long n = 0;
    double slice = 0.0, until = 0.0;
    if (!PyArg_ParseTuple(args, "|dd:run_jobs", &slice, &until))
        return NULL;
    if (check_thread(self) < 0)
        return NULL;
    rt_enter(self);
    for (;;) {
        JSContext *pctx;
        if (slice > 0.0) {
            double d = mono_now() + slice;
            if (until > 0.0 && until < d)
                d = until;
            self->deadline = d;
            self->has_deadline = 1;
        }
        int rc = JS_ExecutePendingJob(self->rt, &pctx);
        if (rc == 0)
            break;
        if (rc < 0) {
            ContextObject *c = pctx ? JS_GetContextOpaque(pctx) : NULL;
            if (c) {
                raise_js_error(c, pctx);
            } else {
                if (pctx)
                    JS_FreeValue(pctx, JS_GetException(pctx));
                continue;
            }
            rt_leave(self);
            return NULL;
        }
        n++;
    }
    rt_leave(self);
    return PyLong_FromLong(n);
}

static PyObject *Runtime_has_pending_jobs(RuntimeObject *self, void *closure)
{
    return PyBool_FromLong(JS_IsJobPending(self->rt));
}

static PyObject *Runtime_gc(RuntimeObject *self, PyObject *unused)
{
    if (check_thread(self) < 0)
        return NULL;
    if (self->depth == 0) {
        JS_RunGC(self->rt);
        flush_decrefs(self);
    }
    Py_RETURN_NONE;
}

static PyObject *Runtime_memory_usage(RuntimeObject *self, PyObject *unused)
{
    JSMemoryUsage u;
    JS_ComputeMemoryUsage(self->rt, &u);
    struct { const char *name; int64_t value; } tab[] = {
        {"malloc_size", u.malloc_size},
        {"malloc_limit", u.malloc_limit},
        {"memory_used_size", u.memory_used_size},
        {"malloc_count", u.malloc_count},
        {"memory_used_count", u.memory_used_count},
        {"atom_count", u.atom_count},
        {"atom_size", u.atom_size},
        {"str_count", u.str_count},
        {"str_size", u.str_size},
        {"obj_count", u.obj_count},
        {"obj_size", u.obj_size},
        {"prop_count", u.prop_count},
        {"prop_size", u.prop_size},
        {"shape_count", u.shape_count},
        {"shape_size", u.shape_size},
        {"js_func_count", u.js_func_count},
        {"js_func_size", u.js_func_size},
        {"js_func_code_size", u.js_func_code_size},
        {"js_func_pc2line_count", u.js_func_pc2line_count},
        {"js_func_pc2line_size", u.js_func_pc2line_size},
        {"c_func_count", u.c_func_count},
        {"array_count", u.array_count},
        {"fast_array_count", u.fast_array_count},
        {"fast_array_elements", u.fast_array_elements},
        {"binary_object_count", u.binary_object_count},
        {"binary_object_size", u.binary_object_size},
    };
    PyObject *d = PyDict_New();
    for (size_t i = 0; d && i < sizeof(tab) / sizeof(tab[0]); i++) {
        PyObject *v = PyLong_FromLongLong(tab[i].value);
        if (!v || PyDict_SetItemString(d, tab[i].name, v) < 0) {
            Py_XDECREF(v);
            Py_CLEAR(d);
            break;
        }
        Py_DECREF(v);
    }
    return d;
}

static PyObject *Runtime_new_context(RuntimeObject *self, PyObject *unused)
{
    return PyObject_CallOneArg((PyObject *)&Context_Type, (PyObject *)self);
}

static PyObject *Runtime_get_memory_limit(RuntimeObject *self, void *closure)
{
    return PyLong_FromSize_t(self->memory_limit);
}

/* A size attribute's new value: a non-negative integer; -1 with an exception set otherwise. */
static Py_ssize_t size_attr(PyObject *v, const char *name)
{
    if (!v) {
        PyErr_Format(PyExc_AttributeError, "cannot delete %s", name);
        return -1;
    }
    Py_ssize_t n = PyNumber_AsSsize_t(v, PyExc_OverflowError);
    if (n == -1 && PyErr_Occurred())
        return -1;
    if (n < 0) {
        PyErr_Format(PyExc_ValueError, "%s must be >= 0", name);
        return -1;
    }
    return n;
}

static int Runtime_set_memory_limit(RuntimeObject *self, PyObject *v, void *closure)
{
    Py_ssize_t n = size_attr(v, "memory_limit");
    if (n < 0)
        return -1;
    self->memory_limit = (size_t)n;
    JS_SetMemoryLimit(self->rt, (size_t)n);
    return 0;
}

static PyObject *Runtime_get_stack_size(RuntimeObject *self, void *closure)
{
    return PyLong_FromSize_t(self->stack_size);
}

static int Runtime_set_stack_size(RuntimeObject *self, PyObject *v, void *closure)
{
    Py_ssize_t n = size_attr(v, "stack_size");
    if (n < 0)
        return -1;
    self->stack_size = (size_t)n;
    JS_SetMaxStackSize(self->rt, (size_t)n);
    return 0;
}

static PyMethodDef Runtime_methods[] = {
    {"set_deadline", (PyCFunction)Runtime_set_deadline, METH_O,
     "set_deadline(t | None): time.monotonic() seconds after which running JS is interrupted"},
    {"set_module_loader", (PyCFunction)Runtime_set_module_loader, METH_VARARGS,
     "set_module_loader(normalize(base, specifier) -> str | None, load(name) -> str | bytes | SyntheticModule)"},
    {"set_rejection_tracker", (PyCFunction)Runtime_set_rejection_tracker, METH_O,
     "set_rejection_tracker(cb(promise, reason, is_handled) | None)"},
    {"run_jobs", (PyCFunction)Runtime_run_jobs, METH_VARARGS, "run_jobs() -> int: drain the job queue"},
    {"gc", (PyCFunction)Runtime_gc, METH_NOARGS, "run the JS garbage collector"},
    {"memory_usage", (PyCFunction)Runtime_memory_usage, METH_NOARGS, "JS_ComputeMemoryUsage as a dict"},
    {"new_context", (PyCFunction)Runtime_new_context, METH_NOARGS, "a new Context in this runtime"},
    {NULL}
};

static PyGetSetDef Runtime_getset[] = {
    {"memory_limit", (getter)Runtime_get_memory_limit, (setter)Runtime_set_memory_limit, "bytes, 0 = unlimited"},
    {"stack_size", (getter)Runtime_get_stack_size, (setter)Runtime_set_stack_size, "bytes, 0 = unchecked"},
    {"has_pending_jobs", (getter)Runtime_has_pending_jobs, NULL, "whether jobs are queued"},
    {"deadline", (getter)Runtime_get_deadline, NULL, "the current deadline or None"},
    {NULL}
};

PyTypeObject Runtime_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workerd_py.engine.Runtime",
    .tp_basicsize = sizeof(RuntimeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_new = Runtime_new,
    .tp_dealloc = (destructor)Runtime_dealloc,
    .tp_traverse = (traverseproc)Runtime_traverse,
    .tp_clear = (inquiry)Runtime_clear,
    .tp_methods = Runtime_methods,
    .tp_getset = Runtime_getset,
    .tp_weaklistoffset = offsetof(RuntimeObject, weakreflist),
    .tp_doc = "Runtime(memory_limit=0, stack_size=1<<20): one QuickJS runtime (heap, GC, limits, job queue).",
};

/* ------------------------------------------------------------------ */
/* Context                                                             */

static PyObject *Context_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"runtime", NULL};
    RuntimeObject *rt;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O!:Context", kwlist, &Runtime_Type, &rt))
        return NULL;
    ContextObject *self = (ContextObject *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    self->refs.next = self->refs.prev = &self->refs;
    if (check_thread(rt) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    Py_INCREF(rt);
    self->rt = rt;
    rt_enter(rt);
    JSContext *ctx = JS_NewContext(rt->rt);
    if (!ctx) {
        rt_leave(rt);
        Py_DECREF(self);
        PyErr_SetString(g_OutOfMemory, "could not create a context");
        return NULL;
    }
    JS_SetContextOpaque(ctx, self);
    self->ctx = ctx;
    rt->n_contexts++;
    /* quickjs-ng only adds DOMException to the first context of a runtime */
    JSValue global = JS_GetGlobalObject(ctx);
    JSAtom atom = JS_NewAtom(ctx, "DOMException");
    int has = JS_HasProperty(ctx, global, atom);
    JS_FreeAtom(ctx, atom);
    JS_FreeValue(ctx, global);
    if (has == 0)
        JS_AddIntrinsicDOMException(ctx);
    rt_leave(rt);
    return (PyObject *)self;
}

static void context_close(ContextObject *self)
{
    if (!self->ctx || self->busy)
        return;
    JSContext *ctx = self->ctx;
    RuntimeObject *r = self->rt;
    HandleObject *h = self->handles;
    while (h) {
        HandleObject *next = h->next;
        JS_FreeValue(ctx, h->val);
        h->val = JS_UNDEFINED;
        h->prev = h->next = NULL;
        h = next;
    }
    self->handles = NULL;
    Py_CLEAR(self->loading);
    Py_CLEAR(self->modules);
    JS_SetContextOpaque(ctx, NULL);
    self->ctx = NULL;
    r->n_contexts--;
    r->depth++;
    JS_FreeContext(ctx);
    r->depth--;
    /* references still held by JS objects that outlive the context move to the runtime */
    if (self->refs.next != &self->refs) {
        PyRef *first = self->refs.next, *last = self->refs.prev;
        first->prev = &r->refs;
        last->next = r->refs.next;
        r->refs.next->prev = last;
        r->refs.next = first;
        self->refs.next = self->refs.prev = &self->refs;
    }
    if (r->depth == 0)
        flush_decrefs(r);
}

static int Context_traverse(ContextObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->rt);
    for (PyRef *p = self->refs.next; p != &self->refs; p = p->next)
        Py_VISIT(p->obj);
    return 0;
}

static int Context_clear(ContextObject *self)
{
    context_close(self);
    return 0;
}

static void Context_dealloc(ContextObject *self)
{
    PyObject_GC_UnTrack(self);
    if (self->weakreflist)
        PyObject_ClearWeakRefs((PyObject *)self);
    context_close(self);
    Py_CLEAR(self->rt);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

#define CHECK_OPEN(c) do { if (check_open(c) < 0) return NULL; } while (0)

static PyObject *Context_close(ContextObject *self, PyObject *unused)
{
    if (self->busy) {
        PyErr_SetString(g_EngineError, "cannot close a context while its JavaScript is running");
        return NULL;
    }
    context_close(self);
    Py_RETURN_NONE;
}

static PyObject *Context_get_closed(ContextObject *self, void *closure)
{
    return PyBool_FromLong(self->ctx == NULL);
}

static PyObject *Context_get_runtime(ContextObject *self, void *closure)
{
    return Py_NewRef(self->rt);
}

static PyObject *Context_get_globals(ContextObject *self, void *closure)
{
    CHECK_OPEN(self);
    return new_handle(self, JS_GetGlobalObject(self->ctx));
}

/* finish an entry: convert v (owned) to Python, or raise the pending JS exception */
static PyObject *finish(ContextObject *self, JSValue v)
{
    PyObject *res;
    if (JS_IsException(v)) {
        res = raise_js_error(self, self->ctx);
    } else {
        res = js_to_py(self, v);
        JS_FreeValue(self->ctx, v);
    }
    ctx_leave(self);
    return res;
}

static const char *source_arg(PyObject *src, Py_ssize_t *len)
{
    if (PyUnicode_Check(src))
        return PyUnicode_AsUTF8AndSize(src, len);
    PyErr_SetString(PyExc_TypeError, "source must be a str");
    return NULL;
}

static PyObject *Context_eval(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"src", "filename", NULL};
    PyObject *src;
    const char *filename = "<eval>";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|s:eval", kwlist, &src, &filename))
        return NULL;
    CHECK_OPEN(self);
    Py_ssize_t len;
    const char *s = source_arg(src, &len);
    if (!s)
        return NULL;
    ctx_enter(self);
    JSValue v = JS_Eval(self->ctx, s, (size_t)len, filename, JS_EVAL_TYPE_GLOBAL);
    return finish(self, v);
}

/* run jobs until the promise settles; returns 0 fulfilled, 1 rejected, -1 Python error */
static int settle(ContextObject *self, JSValueConst promise, const char *what)
{
    for (;;) {
        JSPromiseStateEnum st = JS_PromiseState(self->ctx, promise);
        if (st == JS_PROMISE_FULFILLED)
            return 0;
        if (st == JS_PROMISE_REJECTED)
            return 1;
        if (st != JS_PROMISE_PENDING)
            return 0;
        if (!JS_IsJobPending(self->rt->rt)) {
            PyErr_Format(g_EngineError, "%s did not settle: it awaits something that is not "
                         "a JavaScript job (host I/O?)", what);
            return -1;
        }
        JSContext *pctx;
        int rc = JS_ExecutePendingJob(self->rt->rt, &pctx);
        if (rc < 0) {
            ContextObject *c = pctx ? JS_GetContextOpaque(pctx) : NULL;
            if (c) {
                raise_js_error(c, pctx);
                return -1;
            }
            if (pctx)
                JS_FreeValue(pctx, JS_GetException(pctx));
        }
    }
}

/* promise (owned) -> its value after settling, raising the rejection */
static PyObject *settle_result(ContextObject *self, JSValue promise, const char *what)
{
    if (!JS_IsPromise(promise)) {
        JS_FreeValue(self->ctx, promise);
        return Py_NewRef(Py_None);
    }
    int st = settle(self, promise, what);
    if (st < 0) {
        JS_FreeValue(self->ctx, promise);
        return NULL;
    }
    if (st == 1) {
        JSValue reason = JS_PromiseResult(self->ctx, promise);
        JS_PromiseMarkAsHandled(self->ctx, promise);
        JS_FreeValue(self->ctx, promise);
        JS_Throw(self->ctx, reason);
        return raise_js_error(self, self->ctx);
    }
    JS_FreeValue(self->ctx, promise);
    return Py_NewRef(Py_None);
}

/* evaluate a compiled module value (owned) and return its namespace */
static PyObject *eval_module_value(ContextObject *self, JSValue mv, const char *name)
{
    JSModuleDef *m = JS_VALUE_GET_PTR(mv);
    JSValue p = JS_EvalFunction(self->ctx, mv);
    if (JS_IsException(p)) {
        commit_modules(self, 0);
        return raise_js_error(self, self->ctx);
    }
    if (JS_IsPromise(p)) {
        char what[300];
        snprintf(what, sizeof(what), "module '%s'", name);
        PyObject *r = settle_result(self, p, what);
        if (!r) {
            commit_modules(self, 0);
            return NULL;
        }
        Py_DECREF(r);
    } else {
        JS_FreeValue(self->ctx, p);
    }
    if (record_module(self, name, m) < 0)
        PyErr_Clear();
    commit_modules(self, 1);
    JSValue ns = JS_GetModuleNamespace(self->ctx, m);
    if (JS_IsException(ns))
        return raise_js_error(self, self->ctx);
    return new_handle(self, ns);
}

static PyObject *Context_eval_module(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"src", "name", NULL};
    PyObject *src;
    const char *name;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "Os:eval_module", kwlist, &src, &name))
        return NULL;
    CHECK_OPEN(self);
    Py_ssize_t len;
    const char *s = source_arg(src, &len);
    if (!s)
        return NULL;
    ctx_enter(self);
    JSValue mv = JS_Eval(self->ctx, s, (size_t)len, name, JS_EVAL_TYPE_MODULE | JS_EVAL_FLAG_COMPILE_ONLY);
    PyObject *res;
    if (JS_IsException(mv)) {
        commit_modules(self, 0);
        res = raise_js_error(self, self->ctx);
    }
    else
        res = eval_module_value(self, mv, name);
    ctx_leave(self);
    return res;
}

static PyObject *Context_import_module(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"name", "base", NULL};
    const char *name, *base = "";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|s:import_module", kwlist, &name, &base))
        return NULL;
    CHECK_OPEN(self);
    RuntimeObject *r = self->rt;
    PyObject *key = NULL;
    if (r->normalize) {
        key = PyObject_CallFunction(r->normalize, "ss", base, name);
        if (!key)
            return NULL;
    } else {
        key = PyUnicode_FromString(name);
        if (!key)
            return NULL;
    }
    PyObject *known = self->modules ? PyDict_GetItemWithError(self->modules, key) : NULL;
    Py_DECREF(key);
    if (known) {
        JSModuleDef *m = PyLong_AsVoidPtr(known);
        JSValue ns = JS_GetModuleNamespace(self->ctx, m);
        if (JS_IsException(ns))
            return raise_js_error(self, self->ctx);
        return new_handle(self, ns);
    }
    if (PyErr_Occurred())
        return NULL;
    ctx_enter(self);
    PyObject *res = NULL;
    JSValue p = JS_LoadModule(self->ctx, base, name);
    if (JS_IsException(p)) {
        res = raise_js_error(self, self->ctx);
    } else {
        char what[300];
        snprintf(what, sizeof(what), "import of '%s'", name);
        JSValue keep = JS_DupValue(self->ctx, p);
        PyObject *r = settle_result(self, p, what);
        commit_modules(self, r != NULL);
        if (r) {
            Py_DECREF(r);
            JSValue ns = JS_PromiseResult(self->ctx, keep);
            res = js_to_py(self, ns);
            JS_FreeValue(self->ctx, ns);
        }
        JS_FreeValue(self->ctx, keep);
    }
    ctx_leave(self);
    return res;
}

static PyObject *Context_compile(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"src", "filename", "module", "strip", NULL};
    PyObject *src;
    const char *filename = "<input>";
    int module = 0;
    int strip = 0;   /* 0: keep everything; 1: drop source text; 2: drop source and debug info */
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|spi:compile", kwlist, &src, &filename, &module, &strip))
        return NULL;
    CHECK_OPEN(self);
    Py_ssize_t len;
    const char *s = source_arg(src, &len);
    if (!s)
        return NULL;
    RuntimeObject *r = self->rt;
    ctx_enter(self);
    JSContext *ctx = self->ctx;
    if (module) {
        /* Compiling a module resolves its imports; do it in a scratch context whose loader
           answers empty stubs, so nothing is loaded or evaluated for real. */
        ctx = JS_NewContext(r->rt);
        if (!ctx) {
            ctx_leave(self);
            PyErr_SetString(g_OutOfMemory, "could not create a scratch context");
            return NULL;
        }
        JS_SetContextOpaque(ctx, self);
        r->compile_stub++;
    }
    JSValue fv = JS_Eval(ctx, s, (size_t)len, filename,
                         (module ? JS_EVAL_TYPE_MODULE : JS_EVAL_TYPE_GLOBAL) | JS_EVAL_FLAG_COMPILE_ONLY);
    if (module)
        r->compile_stub--;
    PyObject *res = NULL;
    if (JS_IsException(fv)) {
        raise_js_error(self, ctx);
    } else {
        size_t size;
        int wflags = JS_WRITE_OBJ_BYTECODE;
        if (strip >= 1)
            wflags |= JS_WRITE_OBJ_STRIP_SOURCE;
        if (strip >= 2)
            wflags |= JS_WRITE_OBJ_STRIP_DEBUG;
        uint8_t *buf = JS_WriteObject(ctx, &size, fv, wflags);
        JS_FreeValue(ctx, fv);
        if (!buf) {
            raise_js_error(self, ctx);
        } else {
            res = PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)size);
            js_free(ctx, buf);
        }
    }
    if (module) {
        JS_SetContextOpaque(ctx, NULL);
        JS_FreeContext(ctx);
        if (r->depth == 1)
            JS_RunGC(r->rt);
    }
    ctx_leave(self);
    return res;
}

static PyObject *Context_eval_bytecode(ContextObject *self, PyObject *arg)
{
    CHECK_OPEN(self);
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    ctx_enter(self);
    JSValue fv = JS_ReadObject(self->ctx, view.buf, (size_t)view.len, JS_READ_OBJ_BYTECODE);
    PyBuffer_Release(&view);
    PyObject *res;
    if (JS_IsException(fv)) {
        res = raise_js_error(self, self->ctx);
    } else if (JS_VALUE_GET_TAG(fv) == JS_TAG_MODULE) {
        JSModuleDef *m = JS_VALUE_GET_PTR(fv);
        char name[256];
        JSAtom a = JS_GetModuleName(self->ctx, m);
        const char *n = JS_AtomToCString(self->ctx, a);
        snprintf(name, sizeof(name), "%s", n ? n : "?");
        JS_FreeCString(self->ctx, n);
        JS_FreeAtom(self->ctx, a);
        /* on failure the engine frees the unresolved module: do not touch fv */
        if (JS_ResolveModule(self->ctx, fv) < 0) {
            commit_modules(self, 0);
            res = raise_js_error(self, self->ctx);
        }
        else
            res = eval_module_value(self, fv, name);
    } else {
        JSValue v = JS_EvalFunction(self->ctx, fv);
        if (JS_IsException(v)) {
            res = raise_js_error(self, self->ctx);
        } else {
            res = js_to_py(self, v);
            JS_FreeValue(self->ctx, v);
        }
    }
    ctx_leave(self);
    return res;
}

static PyObject *Context_new_object(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"props", NULL};
    PyObject *props = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|O!:new_object", kwlist, &PyDict_Type, &props))
        return NULL;
    CHECK_OPEN(self);
    JSValue v = props ? dict_to_js(self, self->ctx, props) : JS_NewObject(self->ctx);
    if (JS_IsException(v))
        return PyErr_Occurred() ? NULL : raise_js_error(self, self->ctx);
    return new_handle(self, v);
}

static PyObject *Context_new_array(ContextObject *self, PyObject *args)
{
    PyObject *items = NULL;
    if (!PyArg_ParseTuple(args, "|O:new_array", &items))
        return NULL;
    CHECK_OPEN(self);
    JSValue v;
    if (items) {
        PyObject *seq = PySequence_Fast(items, "new_array() needs a sequence");
        if (!seq)
            return NULL;
        v = seq_to_js(self, self->ctx, seq);
        Py_DECREF(seq);
        if (JS_IsException(v))
            return NULL;
    } else {
        v = JS_NewArray(self->ctx);
        if (JS_IsException(v))
            return raise_js_error(self, self->ctx);
    }
    return new_handle(self, v);
}

static PyObject *Context_new_promise(ContextObject *self, PyObject *unused)
{
    CHECK_OPEN(self);
    JSValue funcs[2];
    JSValue p = JS_NewPromiseCapability(self->ctx, funcs);
    if (JS_IsException(p))
        return raise_js_error(self, self->ctx);
    PyObject *a = new_handle(self, p);
    PyObject *b = new_handle(self, funcs[0]);
    PyObject *c = new_handle(self, funcs[1]);
    if (!a || !b || !c) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(c);
        return NULL;
    }
    PyObject *res = PyTuple_Pack(3, a, b, c);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    return res;
}

static PyObject *Context_new_function(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"fn", "name", "length", "with_this", NULL};
    PyObject *fn;
    const char *name = "";
    int length = 0, with_this = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|sip:new_function", kwlist, &fn, &name, &length, &with_this))
        return NULL;
    CHECK_OPEN(self);
    if (!PyCallable_Check(fn)) {
        PyErr_SetString(PyExc_TypeError, "new_function() needs a callable");
        return NULL;
    }
    if (length < 0 || length > 65535) {
        PyErr_SetString(PyExc_ValueError, "length out of range");
        return NULL;
    }
    JSValue f = new_py_function(self, self->ctx, fn, name, length, with_this);
    if (JS_IsException(f))
        return NULL;
    return new_handle(self, f);
}

static PyObject *Context_new_error(ContextObject *self, PyObject *args)
{
    const char *name;
    PyObject *message;
    if (!PyArg_ParseTuple(args, "sU:new_error", &name, &message))
        return NULL;
    CHECK_OPEN(self);
    JSValue m = str_to_js(self, self->ctx, message);
    if (JS_IsException(m))
        return NULL;
    ctx_enter(self);
    JSValue e = make_error(self->ctx, name, m, 0);
    return finish(self, e);
}

/* a copy of any buffer-protocol object as a new ArrayBuffer or Uint8Array (`make`) */
static PyObject *new_buffer_copy(ContextObject *self, PyObject *arg,
                                 JSValue (*make)(JSContext *, const uint8_t *, size_t))
{
    CHECK_OPEN(self);
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    JSValue v = make(self->ctx, view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    if (JS_IsException(v))
        return raise_js_error(self, self->ctx);
    return new_handle(self, v);
}

static PyObject *Context_new_arraybuffer(ContextObject *self, PyObject *arg)
{
    return new_buffer_copy(self, arg, JS_NewArrayBufferCopy);
}

static PyObject *Context_new_uint8array(ContextObject *self, PyObject *arg)
{
    return new_buffer_copy(self, arg, JS_NewUint8ArrayCopy);
}

static PyObject *Context_json_parse(ContextObject *self, PyObject *arg)
{
    CHECK_OPEN(self);
    Py_ssize_t len;
    const char *s = source_arg(arg, &len);
    if (!s)
        return NULL;
    ctx_enter(self);
    JSValue v = JS_ParseJSON(self->ctx, s, (size_t)len, "<json>");
    return finish(self, v);
}

static PyObject *Context_json_stringify(ContextObject *self, PyObject *arg)
{
    CHECK_OPEN(self);
    JSValue v = py_to_js(self, arg);
    if (JS_IsException(v))
        return NULL;
    ctx_enter(self);
    JSValue s = JS_JSONStringify(self->ctx, v, JS_UNDEFINED, JS_UNDEFINED);
    JS_FreeValue(self->ctx, v);
    return finish(self, s);
}

static PyObject *Context_to_js(ContextObject *self, PyObject *arg)
{
    CHECK_OPEN(self);
    JSValue v = py_to_js(self, arg);
    if (JS_IsException(v))
        return NULL;
    PyObject *res = js_to_py(self, v);
    JS_FreeValue(self->ctx, v);
    return res;
}

static PyObject *Context_wrap(ContextObject *self, PyObject *args)
{
    HostClassObject *cls;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "O!O:wrap", &HostClass_Type, &cls, &obj))
        return NULL;
    CHECK_OPEN(self);
    JSValue proto;
    if (hostclass_ensure(self, cls, &proto) < 0)
        return NULL;
    JSValue v = JS_NewObjectProtoClass(self->ctx, proto, cls->class_id);
    JS_FreeValue(self->ctx, proto);
    if (JS_IsException(v))
        return raise_js_error(self, self->ctx);
    PyRef *ref = pyref_new(self, obj);
    if (!ref) {
        JS_FreeValue(self->ctx, v);
        return NULL;
    }
    JS_SetOpaque(v, ref);
    return new_handle(self, v);
}

static PyObject *Context_unwrap(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"value", "host_class", NULL};
    PyObject *value, *cls = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|O:unwrap", kwlist, &value, &cls))
        return NULL;
    if (cls != Py_None && !Py_IS_TYPE(cls, &HostClass_Type)) {
        PyErr_SetString(PyExc_TypeError, "host_class must be a HostClass or None");
        return NULL;
    }
    if (!is_handle(value))
        Py_RETURN_NONE;
    HandleObject *h = (HandleObject *)value;
    if (!h->ctx->ctx)
        Py_RETURN_NONE;
    PyObject *res = hostclass_unwrap(h->val, cls == Py_None ? NULL : (HostClassObject *)cls);
    if (!res)
        Py_RETURN_NONE;
    return Py_NewRef(res);
}

static PyObject *Context_install(ContextObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"host_class", "name", NULL};
    HostClassObject *cls;
    const char *name = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O!|z:install", kwlist, &HostClass_Type, &cls, &name))
        return NULL;
    CHECK_OPEN(self);
    JSValue proto;
    if (hostclass_ensure(self, cls, &proto) < 0)
        return NULL;
    JSContext *ctx = self->ctx;
    JSValue ctor = JS_GetPropertyStr(ctx, proto, "constructor");
    JS_FreeValue(ctx, proto);
    if (JS_IsException(ctor))
        return raise_js_error(self, ctx);
    JSValue global = JS_GetGlobalObject(ctx);
    int rc = JS_DefinePropertyValueStr(ctx, global, name ? name : cls->cname, JS_DupValue(ctx, ctor),
                                       JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE);
    JS_FreeValue(ctx, global);
    if (rc < 0) {
        JS_FreeValue(ctx, ctor);
        return raise_js_error(self, ctx);
    }
    return new_handle(self, ctor);
}

static PyObject *Context_class_prototype(ContextObject *self, PyObject *arg)
{
    if (!Py_IS_TYPE(arg, &HostClass_Type)) {
        PyErr_SetString(PyExc_TypeError, "class_prototype() needs a HostClass");
        return NULL;
    }
    CHECK_OPEN(self);
    JSValue proto;
    if (hostclass_ensure(self, (HostClassObject *)arg, &proto) < 0)
        return NULL;
    return new_handle(self, proto);
}

static PyMethodDef Context_methods[] = {
    {"eval", (PyCFunction)Context_eval, METH_VARARGS | METH_KEYWORDS, "eval(src, filename='<eval>') -> value"},
    {"eval_module", (PyCFunction)Context_eval_module, METH_VARARGS | METH_KEYWORDS,
     "eval_module(src, name) -> module namespace (after evaluation, top-level await included)"},
    {"import_module", (PyCFunction)Context_import_module, METH_VARARGS | METH_KEYWORDS,
     "import_module(name, base='') -> module namespace, through the runtime's loader"},
    {"compile", (PyCFunction)Context_compile, METH_VARARGS | METH_KEYWORDS,
     "compile(src, filename='<input>', module=False) -> bytecode bytes"},
    {"eval_bytecode", (PyCFunction)Context_eval_bytecode, METH_O,
     "eval_bytecode(data) -> script result or module namespace"},
    {"new_object", (PyCFunction)Context_new_object, METH_VARARGS | METH_KEYWORDS, "new_object(props=None)"},
    {"new_array", (PyCFunction)Context_new_array, METH_VARARGS, "new_array(items=())"},
    {"new_promise", (PyCFunction)Context_new_promise, METH_NOARGS, "new_promise() -> (promise, resolve, reject)"},
    {"new_function", (PyCFunction)Context_new_function, METH_VARARGS | METH_KEYWORDS,
     "new_function(fn, name='', length=0, with_this=False)"},
    {"new_error", (PyCFunction)Context_new_error, METH_VARARGS, "new_error(name, message)"},
    {"new_arraybuffer", (PyCFunction)Context_new_arraybuffer, METH_O, "new_arraybuffer(buf) (copied)"},
    {"new_uint8array", (PyCFunction)Context_new_uint8array, METH_O, "new_uint8array(buf) (copied)"},
    {"json_parse", (PyCFunction)Context_json_parse, METH_O, "json_parse(str) -> value"},
    {"json_stringify", (PyCFunction)Context_json_stringify, METH_O, "json_stringify(value) -> str | undefined"},
    {"to_js", (PyCFunction)Context_to_js, METH_O, "to_js(pyvalue) -> value converted to JS and back"},
    {"wrap", (PyCFunction)Context_wrap, METH_VARARGS, "wrap(host_class, pyobj) -> JSObject"},
    {"unwrap", (PyCFunction)Context_unwrap, METH_VARARGS | METH_KEYWORDS,
     "unwrap(value, host_class=None) -> pyobj | None"},
    {"install", (PyCFunction)Context_install, METH_VARARGS | METH_KEYWORDS,
     "install(host_class, name=None) -> constructor (also defined as a global)"},
    {"class_prototype", (PyCFunction)Context_class_prototype, METH_O,
     "class_prototype(host_class) -> the prototype object in this context"},
    {"close", (PyCFunction)Context_close, METH_NOARGS, "free the context; later use raises EngineError"},
    {NULL}
};

static PyGetSetDef Context_getset[] = {
    {"globals", (getter)Context_get_globals, NULL, "the global object"},
    {"runtime", (getter)Context_get_runtime, NULL, "the Runtime"},
    {"closed", (getter)Context_get_closed, NULL, "whether close() was called"},
    {NULL}
};

PyTypeObject Context_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workerd_py.engine.Context",
    .tp_basicsize = sizeof(ContextObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_new = Context_new,
    .tp_dealloc = (destructor)Context_dealloc,
    .tp_traverse = (traverseproc)Context_traverse,
    .tp_clear = (inquiry)Context_clear,
    .tp_methods = Context_methods,
    .tp_getset = Context_getset,
    .tp_weaklistoffset = offsetof(ContextObject, weakreflist),
    .tp_doc = "Context(runtime): a JS realm (global object) inside a Runtime.",
};

/* ------------------------------------------------------------------ */
/* JSObject handles                                                    */

#define H_CHECK(h) do { if (check_open((h)->ctx) < 0) return NULL; } while (0)

static void Handle_dealloc(HandleObject *self)
{
    PyObject_GC_UnTrack(self);
    ContextObject *c = self->ctx;
    if (c->ctx) {
        JS_FreeValue(c->ctx, self->val);
        if (self->prev)
            self->prev->next = self->next;
        else
            c->handles = self->next;
        if (self->next)
            self->next->prev = self->prev;
    }
    PyObject_GC_Del(self);
    Py_DECREF(c);
}

static int Handle_traverse(HandleObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->ctx);
    return 0;
}

static PyObject *Handle_get(HandleObject *self, PyObject *key)
{
    H_CHECK(self);
    ContextObject *c = self->ctx;
    JSAtom atom;
    if (key_to_atom(c, c->ctx, key, &atom) < 0)
        return NULL;
    ctx_enter(c);
    JSValue v = JS_GetProperty(c->ctx, self->val, atom);
    JS_FreeAtom(c->ctx, atom);
    return finish(c, v);
}

static int handle_set(HandleObject *self, PyObject *key, PyObject *value)
{
    if (check_open(self->ctx) < 0)
        return -1;
    ContextObject *c = self->ctx;
    JSAtom atom;
    if (key_to_atom(c, c->ctx, key, &atom) < 0)
        return -1;
    int rc;
    ctx_enter(c);
    if (value) {
        JSValue v = py_to_js(c, value);
        if (JS_IsException(v)) {
            JS_FreeAtom(c->ctx, atom);
            ctx_leave(c);
            return -1;
        }
        rc = JS_SetProperty(c->ctx, self->val, atom, v);
    } else {
        rc = JS_DeleteProperty(c->ctx, self->val, atom, JS_PROP_THROW);
    }
    JS_FreeAtom(c->ctx, atom);
    if (rc < 0)
        raise_js_error(c, c->ctx);
    ctx_leave(c);
    return rc < 0 ? -1 : 0;
}

static PyObject *Handle_set(HandleObject *self, PyObject *args)
{
    PyObject *key, *value;
    if (!PyArg_ParseTuple(args, "OO:set", &key, &value))
        return NULL;
    if (handle_set(self, key, value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *Handle_delete(HandleObject *self, PyObject *key)
{
    if (handle_set(self, key, NULL) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static int Handle_contains(HandleObject *self, PyObject *key)
{
    if (check_open(self->ctx) < 0)
        return -1;
    ContextObject *c = self->ctx;
    if (!JS_IsObject(self->val)) {
        PyErr_SetString(PyExc_TypeError, "not an object");
        return -1;
    }
    JSAtom atom;
    if (key_to_atom(c, c->ctx, key, &atom) < 0)
        return -1;
    ctx_enter(c);
    int rc = JS_HasProperty(c->ctx, self->val, atom);
    JS_FreeAtom(c->ctx, atom);
    if (rc < 0)
        raise_js_error(c, c->ctx);
    ctx_leave(c);
    return rc;
}

static PyObject *Handle_has(HandleObject *self, PyObject *key)
{
    int rc = Handle_contains(self, key);
    if (rc < 0)
        return NULL;
    return PyBool_FromLong(rc);
}

static PyObject *handle_invoke(HandleObject *self, PyObject *const *args, Py_ssize_t nargs,
                               PyObject *this_obj, int construct)
{
    H_CHECK(self);
    ContextObject *c = self->ctx;
    JSContext *ctx = c->ctx;
    JSValue stack[NSTACK];
    JSValue *argv = stack;
    if (nargs > NSTACK) {
        argv = PyMem_Malloc(nargs * sizeof(JSValue));
        if (!argv)
            return PyErr_NoMemory();
    }
    Py_ssize_t i;
    JSValue this_val = JS_UNDEFINED;
    PyObject *res = NULL;
    for (i = 0; i < nargs; i++) {
        argv[i] = py_to_js_ctx(c, ctx, args[i]);
        if (JS_IsException(argv[i]))
            goto done;
    }
    if (this_obj) {
        this_val = py_to_js_ctx(c, ctx, this_obj);
        if (JS_IsException(this_val)) {
            this_val = JS_UNDEFINED;
            goto done;
        }
    }
    ctx_enter(c);
    JSValue v = construct ? JS_CallConstructor(ctx, self->val, (int)nargs, argv)
                          : JS_Call(ctx, self->val, this_val, (int)nargs, argv);
    res = finish(c, v);
done:
    for (Py_ssize_t k = 0; k < i; k++)
        JS_FreeValue(ctx, argv[k]);
    JS_FreeValue(ctx, this_val);
    if (argv != stack)
        PyMem_Free(argv);
    return res;
}

static PyObject *Handle_call_method(HandleObject *self, PyObject *const *args, Py_ssize_t nargs,
                                    PyObject *kwnames)
{
    PyObject *this_obj = NULL;
    if (kwnames) {
        Py_ssize_t nk = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t k = 0; k < nk; k++) {
            PyObject *name = PyTuple_GET_ITEM(kwnames, k);
            if (PyUnicode_CompareWithASCIIString(name, "this") != 0) {
                PyErr_Format(PyExc_TypeError, "call() got an unexpected keyword argument '%U'", name);
                return NULL;
            }
            this_obj = args[nargs + k];
        }
    }
    return handle_invoke(self, args, nargs, this_obj, 0);
}

static PyObject *Handle_construct(HandleObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return handle_invoke(self, args, nargs, NULL, 1);
}

static PyObject *Handle_tp_call(HandleObject *self, PyObject *args, PyObject *kw)
{
    if (kw && PyDict_GET_SIZE(kw)) {
        PyObject *this_obj = PyDict_GetItemString(kw, "this");
        if (!this_obj || PyDict_GET_SIZE(kw) != 1) {
            PyErr_SetString(PyExc_TypeError, "the only keyword argument is 'this'");
            return NULL;
        }
        return handle_invoke(self, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), this_obj, 0);
    }
    return handle_invoke(self, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), NULL, 0);
}

static PyObject *Handle_keys(HandleObject *self, PyObject *unused)
{
    H_CHECK(self);
    ContextObject *c = self->ctx;
    JSContext *ctx = c->ctx;
    if (!JS_IsObject(self->val))
        return PyList_New(0);
    JSPropertyEnum *tab;
    uint32_t len;
    ctx_enter(c);
    if (JS_GetOwnPropertyNames(ctx, &tab, &len, self->val, JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY) < 0) {
        raise_js_error(c, ctx);
        ctx_leave(c);
        return NULL;
    }
    PyObject *list = PyList_New(len);
    for (uint32_t i = 0; list && i < len; i++) {
        JSValue s = JS_AtomToString(ctx, tab[i].atom);
        PyObject *k = JS_IsException(s) ? raise_js_error(c, ctx) : js_to_py(c, s);
        JS_FreeValue(ctx, s);
        if (!k) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, k);
    }
    JS_FreePropertyEnum(ctx, tab, len);
    ctx_leave(c);
    return list;
}

/* iter(handle): the elements of an array, or of any JS iterable (Array.from) */
static PyObject *Handle_iter(HandleObject *self)
{
    H_CHECK(self);
    ContextObject *c = self->ctx;
    JSContext *ctx = c->ctx;
    ctx_enter(c);
    JSValue arr;
    if (JS_IsArray(self->val)) {
        arr = JS_DupValue(ctx, self->val);
    } else {
        JSValue global = JS_GetGlobalObject(ctx);
        JSValue array_ctor = JS_GetPropertyStr(ctx, global, "Array");
        JSValue from = JS_GetPropertyStr(ctx, array_ctor, "from");
        arr = JS_Call(ctx, from, array_ctor, 1, &self->val);
        JS_FreeValue(ctx, from);
        JS_FreeValue(ctx, array_ctor);
        JS_FreeValue(ctx, global);
    }
    PyObject *list = NULL;
    int64_t n;
    if (JS_IsException(arr) || JS_GetLength(ctx, arr, &n) < 0) {
        raise_js_error(c, ctx);
    } else if ((list = PyList_New((Py_ssize_t)n))) {
        for (int64_t i = 0; i < n; i++) {
            JSValue v = JS_GetPropertyInt64(ctx, arr, i);
            PyObject *item = JS_IsException(v) ? raise_js_error(c, ctx) : js_to_py(c, v);
            JS_FreeValue(ctx, v);
            if (!item) {
                Py_CLEAR(list);
                break;
            }
            PyList_SET_ITEM(list, (Py_ssize_t)i, item);
        }
    }
    JS_FreeValue(ctx, arr);
    ctx_leave(c);
    if (!list)
        return NULL;
    PyObject *it = PyObject_GetIter(list);
    Py_DECREF(list);
    return it;
}

static Py_ssize_t Handle_len(HandleObject *self)
{
    if (check_open(self->ctx) < 0)
        return -1;
    ContextObject *c = self->ctx;
    int64_t n;
    ctx_enter(c);
    int rc = JS_GetLength(c->ctx, self->val, &n);
    if (rc < 0)
        raise_js_error(c, c->ctx);
    ctx_leave(c);
    return rc < 0 ? -1 : (Py_ssize_t)n;
}

static PyObject *Handle_getitem(HandleObject *self, PyObject *key)
{
    return Handle_get(self, key);
}

static int Handle_setitem(HandleObject *self, PyObject *key, PyObject *value)
{
    return handle_set(self, key, value);
}

static PyObject *Handle_is_function(HandleObject *self, void *closure)
{
    H_CHECK(self);
    return PyBool_FromLong(JS_IsFunction(self->ctx->ctx, self->val));
}

static PyObject *Handle_is_array(HandleObject *self, void *closure)
{
    H_CHECK(self);
    return PyBool_FromLong(JS_IsArray(self->val));
}

static PyObject *Handle_is_promise(HandleObject *self, void *closure)
{
    H_CHECK(self);
    return PyBool_FromLong(JS_IsPromise(self->val));
}

static PyObject *Handle_is_error(HandleObject *self, void *closure)
{
    H_CHECK(self);
    return PyBool_FromLong(JS_IsError(self->val));
}

static PyObject *Handle_typeof(HandleObject *self, void *closure)
{
    H_CHECK(self);
    if (JS_IsSymbol(self->val))
        return PyUnicode_FromString("symbol");
    if (JS_IsFunction(self->ctx->ctx, self->val))
        return PyUnicode_FromString("function");
    return PyUnicode_FromString("object");
}

static PyObject *Handle_class_name(HandleObject *self, void *closure)
{
    H_CHECK(self);
    JSContext *ctx = self->ctx->ctx;
    if (!JS_IsObject(self->val))
        return PyUnicode_FromString("Symbol");
    JSAtom a = JS_GetClassName(self->ctx->rt->rt, JS_GetClassID(self->val));
    if (a == JS_ATOM_NULL)
        return PyUnicode_FromString("Object");
    const char *s = JS_AtomToCString(ctx, a);
    JS_FreeAtom(ctx, a);
    if (!s)
        return raise_js_error(self->ctx, ctx);
    PyObject *res = PyUnicode_FromString(s);
    JS_FreeCString(ctx, s);
    return res;
}

static PyObject *Handle_promise_state(HandleObject *self, void *closure)
{
    H_CHECK(self);
    switch (JS_PromiseState(self->ctx->ctx, self->val)) {
    case JS_PROMISE_PENDING: return PyUnicode_FromString("pending");
    case JS_PROMISE_FULFILLED: return PyUnicode_FromString("fulfilled");
    case JS_PROMISE_REJECTED: return PyUnicode_FromString("rejected");
    default:
        PyErr_SetString(PyExc_TypeError, "not a promise");
        return NULL;
    }
}

static PyObject *Handle_promise_result(HandleObject *self, void *closure)
{
    H_CHECK(self);
    if (!JS_IsPromise(self->val)) {
        PyErr_SetString(PyExc_TypeError, "not a promise");
        return NULL;
    }
    JSValue v = JS_PromiseResult(self->ctx->ctx, self->val);
    PyObject *res = js_to_py(self->ctx, v);
    JS_FreeValue(self->ctx->ctx, v);
    return res;
}

static PyObject *Handle_get_context(HandleObject *self, void *closure)
{
    return Py_NewRef(self->ctx);
}

static PyObject *Handle_mark_handled(HandleObject *self, PyObject *unused)
{
    H_CHECK(self);
    if (JS_IsPromise(self->val))
        JS_PromiseMarkAsHandled(self->ctx->ctx, self->val);
    Py_RETURN_NONE;
}

static PyObject *Handle_same_value(HandleObject *self, PyObject *other)
{
    H_CHECK(self);
    if (!is_handle(other))
        Py_RETURN_FALSE;
    HandleObject *o = (HandleObject *)other;
    if (o->ctx->rt != self->ctx->rt || !o->ctx->ctx)
        Py_RETURN_FALSE;
    return PyBool_FromLong(JS_IsSameValue(self->ctx->ctx, self->val, o->val));
}

static PyObject *Handle_richcompare(HandleObject *self, PyObject *other, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !is_handle(other))
        Py_RETURN_NOTIMPLEMENTED;
    HandleObject *o = (HandleObject *)other;
    int eq;
    if (!self->ctx->ctx || !o->ctx->ctx || o->ctx->rt != self->ctx->rt)
        eq = (self == o);
    else
        eq = JS_VALUE_GET_TAG(self->val) == JS_VALUE_GET_TAG(o->val)
             && JS_VALUE_GET_PTR(self->val) == JS_VALUE_GET_PTR(o->val);
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static Py_hash_t Handle_hash(HandleObject *self)
{
    Py_hash_t h = (Py_hash_t)((uintptr_t)JS_VALUE_GET_PTR(self->val) >> 4);
    return h == -1 ? -2 : h;
}

static PyObject *Handle_repr(HandleObject *self)
{
    if (!self->ctx->ctx)
        return PyUnicode_FromString("<JSObject (closed context)>");
    PyObject *cn = Handle_class_name(self, NULL);
    if (!cn) {
        PyErr_Clear();
        return PyUnicode_FromString("<JSObject>");
    }
    PyObject *res = PyUnicode_FromFormat("<JSObject %U>", cn);
    Py_DECREF(cn);
    return res;
}

static int Handle_getbuffer(HandleObject *self, Py_buffer *view, int flags)
{
    static char empty[1];
    if (check_open(self->ctx) < 0)
        return -1;
    JSContext *ctx = self->ctx->ctx;
    uint8_t *p = NULL;
    size_t size = 0;
    if (JS_IsArrayBuffer(self->val)) {
        p = JS_GetArrayBuffer(ctx, &size, self->val);
        if (!p) {
            JS_FreeValue(ctx, JS_GetException(ctx));
            size = 0;
        }
    } else if (JS_GetTypedArrayType(self->val) >= 0) {
        size_t off, len, bpe;
        JSValue ab = JS_GetTypedArrayBuffer(ctx, self->val, &off, &len, &bpe);
        if (JS_IsException(ab)) {
            raise_js_error(self->ctx, ctx);
            return -1;
        }
        size_t abs;
        uint8_t *base = JS_GetArrayBuffer(ctx, &abs, ab);
        JS_FreeValue(ctx, ab);
        if (!base) {
            JS_FreeValue(ctx, JS_GetException(ctx));
            len = 0;
        } else {
            p = base + off;
        }
        size = len;
    } else if (JS_IsDataView(self->val)) {
        JSValue ab = JS_GetPropertyStr(ctx, self->val, "buffer");
        JSValue vo = JS_GetPropertyStr(ctx, self->val, "byteOffset");
        JSValue vl = JS_GetPropertyStr(ctx, self->val, "byteLength");
        int64_t off = 0, len = 0;
        size_t abs;
        uint8_t *base = NULL;
        if (!JS_IsException(ab) && JS_ToInt64(ctx, &off, vo) == 0 && JS_ToInt64(ctx, &len, vl) == 0)
            base = JS_GetArrayBuffer(ctx, &abs, ab);
        JS_FreeValue(ctx, ab);
        JS_FreeValue(ctx, vo);
        JS_FreeValue(ctx, vl);
        if (!base) {
            raise_js_error(self->ctx, ctx);
            return -1;
        }
        p = base + off;
        size = (size_t)len;
    } else {
        PyErr_SetString(PyExc_TypeError, "this JSObject is not an ArrayBuffer, typed array or DataView");
        return -1;
    }
    return PyBuffer_FillInfo(view, (PyObject *)self, p ? (void *)p : (void *)empty, (Py_ssize_t)size, 0, flags);
}

static PyBufferProcs Handle_as_buffer = {
    .bf_getbuffer = (getbufferproc)Handle_getbuffer,
};

static PyMappingMethods Handle_as_mapping = {
    .mp_length = (lenfunc)Handle_len,
    .mp_subscript = (binaryfunc)Handle_getitem,
    .mp_ass_subscript = (objobjargproc)Handle_setitem,
};

static PySequenceMethods Handle_as_sequence = {
    .sq_contains = (objobjproc)Handle_contains,
};

static PyMethodDef Handle_methods[] = {
    {"get", (PyCFunction)Handle_get, METH_O, "get(key) -> value"},
    {"set", (PyCFunction)Handle_set, METH_VARARGS, "set(key, value)"},
    {"delete", (PyCFunction)Handle_delete, METH_O, "delete(key)"},
    {"has", (PyCFunction)Handle_has, METH_O, "has(key) -> bool (the `in` operator)"},
    {"call", (PyCFunction)(void (*)(void))Handle_call_method, METH_FASTCALL | METH_KEYWORDS,
     "call(*args, this=undefined) -> value"},
    {"construct", (PyCFunction)(void (*)(void))Handle_construct, METH_FASTCALL, "construct(*args) -> value (new)"},
    {"keys", (PyCFunction)Handle_keys, METH_NOARGS, "own enumerable string keys"},
    {"same_value", (PyCFunction)Handle_same_value, METH_O, "Object.is(self, other)"},
    {"mark_handled", (PyCFunction)Handle_mark_handled, METH_NOARGS, "mark a rejected promise as handled"},
    {NULL}
};

static PyGetSetDef Handle_getset[] = {
    {"is_function", (getter)Handle_is_function, NULL, NULL},
    {"is_array", (getter)Handle_is_array, NULL, NULL},
    {"is_promise", (getter)Handle_is_promise, NULL, NULL},
    {"is_error", (getter)Handle_is_error, NULL, NULL},
    {"typeof", (getter)Handle_typeof, NULL, NULL},
    {"class_name", (getter)Handle_class_name, NULL, NULL},
    {"promise_state", (getter)Handle_promise_state, NULL, NULL},
    {"promise_result", (getter)Handle_promise_result, NULL, NULL},
    {"context", (getter)Handle_get_context, NULL, NULL},
    {NULL}
};

PyTypeObject Handle_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workerd_py.engine.JSObject",
    .tp_basicsize = sizeof(HandleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)Handle_dealloc,
    .tp_traverse = (traverseproc)Handle_traverse,
    .tp_methods = Handle_methods,
    .tp_getset = Handle_getset,
    .tp_as_buffer = &Handle_as_buffer,
    .tp_as_mapping = &Handle_as_mapping,
    .tp_as_sequence = &Handle_as_sequence,
    .tp_call = (ternaryfunc)Handle_tp_call,
    .tp_iter = (getiterfunc)Handle_iter,
    .tp_richcompare = (richcmpfunc)Handle_richcompare,
    .tp_hash = (hashfunc)Handle_hash,
    .tp_repr = (reprfunc)Handle_repr,
    .tp_doc = "A handle to a JavaScript object (or symbol); keeps its context alive.",
};

/* ------------------------------------------------------------------ */
/* module                                                              */

static PyObject *mod_setup(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"BigInt", "SyntheticModule", "EngineError", "JSError", "Interrupted",
                             "OutOfMemory", "DOMError", "Throw", NULL};
    PyObject *o[8];
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OOOOOOOO:_setup", kwlist, &o[0], &o[1], &o[2], &o[3],
                                     &o[4], &o[5], &o[6], &o[7]))
        return NULL;
    PyObject **g[8] = {&g_BigInt, &g_SyntheticModule, &g_EngineError, &g_JSError, &g_Interrupted,
                       &g_OutOfMemory, &g_DOMError, &g_Throw};
    for (int i = 0; i < 8; i++) {
        if (!PyType_Check(o[i])) {
            PyErr_SetString(PyExc_TypeError, "_setup() needs classes");
            return NULL;
        }
        Py_XSETREF(*g[i], Py_NewRef(o[i]));
    }
    Py_RETURN_NONE;
}

static PyObject *mod_tune_malloc(PyObject *m, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"mmap_threshold", "trim_threshold", NULL};
    Py_ssize_t mmap_threshold = 32 << 20, trim_threshold = 64 << 20;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|nn:tune_malloc", kwlist, &mmap_threshold, &trim_threshold))
        return NULL;
#ifdef __GLIBC__
    if (mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) != 1 || mallopt(M_TRIM_THRESHOLD, (int)trim_threshold) != 1) {
        PyErr_SetString(PyExc_ValueError, "mallopt() refused the thresholds");
        return NULL;
    }
    Py_RETURN_TRUE;
#else
    Py_RETURN_FALSE;
#endif
}

static PyObject *mod_version(PyObject *m, PyObject *unused)
{
    return PyUnicode_FromString(JS_GetVersion());
}

static PyMethodDef mod_methods[] = {
    {"_setup", (PyCFunction)mod_setup, METH_VARARGS | METH_KEYWORDS, "internal: register the Python-level types"},
    {"quickjs_version", (PyCFunction)mod_version, METH_NOARGS, "the QuickJS-ng version"},
    {"tune_malloc", (PyCFunction)mod_tune_malloc, METH_VARARGS | METH_KEYWORDS,
     "tune_malloc(mmap_threshold=32 MiB, trim_threshold=64 MiB) -> bool: process-wide glibc mallopt()\n"
     "so large buffers (bodies) reuse heap memory instead of mmap/munmap + page faults each time."},
    {NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "_quickjs", "CPython binding of quickjs-ng for workerd_py.", -1, mod_methods,
};

PyMODINIT_FUNC PyInit__quickjs(void)
{
    if (PyType_Ready(&Undefined_Type) < 0 || PyType_Ready(&Runtime_Type) < 0
        || PyType_Ready(&Context_Type) < 0 || PyType_Ready(&Handle_Type) < 0)
        return NULL;
    /* host classes get ids above every id a runtime allocates for itself */
    JSRuntime *rt = JS_NewRuntime();
    if (!rt)
        return PyErr_NoMemory();
    JSClassID id = 0;
    g_class_base = JS_NewClassID(rt, &id) + 16;
    JS_FreeRuntime(rt);

    PyObject *m = PyModule_Create(&moduledef);
    if (!m)
        return NULL;
    g_undefined = &undefined_obj;
    Py_INCREF(g_undefined);
    PyModule_AddObjectRef(m, "undefined", g_undefined);
    PyModule_AddObjectRef(m, "UndefinedType", (PyObject *)&Undefined_Type);
    PyModule_AddObjectRef(m, "Runtime", (PyObject *)&Runtime_Type);
    PyModule_AddObjectRef(m, "Context", (PyObject *)&Context_Type);
    PyModule_AddObjectRef(m, "JSObject", (PyObject *)&Handle_Type);
    if (hostclass_init_module(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
