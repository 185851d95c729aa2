/* HostClass: a Python-level class spec exposed to JS as a real class.
 *
 * How this works
 *  - A HostClass is created once per process (it is immortal). Every callable it names gets a
 *    "slot" in a process-wide table; the slot index is the `magic` of the C function QuickJS
 *    creates, so a JS->Python call is: magic -> slot -> (class, callable), no lookup by name.
 *  - Its methods, accessors and constants are a static JSCFunctionListEntry table owned by the
 *    HostClass. JS_SetPropertyFunctionList instantiates methods lazily (autoinit): a context
 *    pays for a method's function object only when JS first reads it.
 *  - Class ids are process-wide: g_class_base + index. Each runtime registers the JSClass
 *    (finalizer) lazily; each context builds the prototype + constructor on first use
 *    (install / wrap / class_prototype) and keeps the prototype in its class_proto table.
 *  - An instance's opaque is a PyRef (strong reference to the Python object, visible to the
 *    Runtime's tp_traverse); the class finalizer releases it.
 */
#include "_qjs.h"

typedef struct {
    HostClassObject *cls;
    PyObject *fn;    /* borrowed: kept alive by cls->keep */
    PyObject *fn2;   /* setter of an accessor */
} Slot;

static Slot *g_slots;
static int g_nslots, g_cap_slots;
static HostClassObject **g_classes;
static int g_nclasses, g_cap_classes;

#define MAX_SLOTS 32767
#define MAX_CLASSES 4096

static int new_slot(HostClassObject *cls, PyObject *fn, PyObject *fn2)
{
    if (g_nslots >= MAX_SLOTS) {
        PyErr_SetString(PyExc_RuntimeError, "too many host class members in this process");
        return -1;
    }
    if (g_nslots == g_cap_slots) {
        int cap = g_cap_slots ? g_cap_slots * 2 : 256;
        Slot *n = PyMem_RawRealloc(g_slots, cap * sizeof(Slot));
        if (!n) {
            PyErr_NoMemory();
            return -1;
        }
        g_slots = n;
        g_cap_slots = cap;
    }
    g_slots[g_nslots].cls = cls;
    g_slots[g_nslots].fn = fn;
    g_slots[g_nslots].fn2 = fn2;
    return g_nslots++;
}

static inline int class_in_range(JSClassID cid)
{
    return cid >= g_class_base && cid < g_class_base + (JSClassID)g_nclasses;
}

HostClassObject *hostclass_of(JSValueConst v)
{
    JSClassID cid = JS_GetClassID(v);
    return class_in_range(cid) ? g_classes[cid - g_class_base] : NULL;
}

/* the PyRef of `v` if it is an instance of `want` (or of a subclass), else NULL */
static inline PyRef *get_ref(JSValueConst v, HostClassObject *want)
{
    JSClassID cid = JS_GetClassID(v);
    if (cid != want->class_id) {
        if (!class_in_range(cid))
            return NULL;
        HostClassObject *k = g_classes[cid - g_class_base]->parent;
        while (k && k != want)
            k = k->parent;
        if (!k)
            return NULL;
    }
    return JS_GetOpaque(v, cid);
}

PyObject *hostclass_unwrap(JSValueConst v, HostClassObject *want)
{
    PyRef *ref;
    if (want) {
        ref = get_ref(v, want);
    } else {
        JSClassID cid = JS_GetClassID(v);
        ref = class_in_range(cid) ? JS_GetOpaque(v, cid) : NULL;
    }
    return ref ? ref->obj : NULL;
}

void hostclass_finalizer(JSRuntime *rt, JSValueConst val)
{
    JSClassID cid;
    PyRef *ref = JS_GetAnyOpaque(val, &cid);
    if (ref)
        pyref_release(ref);
}

/* ------------------------------------------------------------------ */
/* trampolines                                                          */

static inline ContextObject *enter_host(JSContext *ctx)
{
    ContextObject *c = JS_GetContextOpaque(ctx);
    if (!c) {
        JS_ThrowInternalError(ctx, "the context is closed");
        return NULL;
    }
    if (c->rt->n_decrefs)
        flush_decrefs(c->rt);
    return c;
}

static JSValue host_method(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic)
{
    HostClassObject *cls = g_slots[magic].cls;
    PyObject *fn = g_slots[magic].fn;
    PyRef *ref = get_ref(this_val, cls);
    if (!ref)
        return JS_ThrowTypeError(ctx, "Illegal invocation");
    ContextObject *c = enter_host(ctx);
    if (!c)
        return JS_EXCEPTION;
    return call_py(c, ctx, fn, ref->obj, this_val, cls->with_this, argc, argv);
}

static JSValue host_static(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv, int magic)
{
    PyObject *fn = g_slots[magic].fn;
    ContextObject *c = enter_host(ctx);
    if (!c)
        return JS_EXCEPTION;
    return call_py(c, ctx, fn, NULL, this_val, 0, argc, argv);
}

/* receiver_chain classes: the receiver may be an object whose prototype chain holds an instance
   (e.g. the global object whose prototype is one): use the nearest such instance. */
static PyRef *get_ref_chain(JSContext *ctx, JSValueConst v, HostClassObject *cls)
{
    JSValue cur = JS_GetPrototype(ctx, v);
    for (int depth = 0; depth < 8 && JS_IsObject(cur); depth++) {
        PyRef *ref = get_ref(cur, cls);
        if (ref) {
            JS_FreeValue(ctx, cur);   /* the instance stays alive: it is on v's prototype chain */
            return ref;
        }
        JSValue next = JS_GetPrototype(ctx, cur);
        JS_FreeValue(ctx, cur);
        cur = next;
    }
    JS_FreeValue(ctx, cur);
    return NULL;
}

static JSValue host_getter(JSContext *ctx, JSValueConst this_val, int magic)
{
    HostClassObject *cls = g_slots[magic].cls;
    PyObject *fn = g_slots[magic].fn;
    PyRef *ref = get_ref(this_val, cls);
    if (!ref && cls->chain)
        ref = get_ref_chain(ctx, this_val, cls);
    if (!ref)
        return JS_ThrowTypeError(ctx, "Illegal invocation");
    ContextObject *c = enter_host(ctx);
    if (!c)
        return JS_EXCEPTION;
    return call_py(c, ctx, fn, ref->obj, this_val, 0, 0, NULL);
}

static JSValue host_setter(JSContext *ctx, JSValueConst this_val, JSValueConst val, int magic)
{
    HostClassObject *cls = g_slots[magic].cls;
    PyObject *fn = g_slots[magic].fn2;
    PyRef *ref = get_ref(this_val, cls);
    if (!ref && cls->chain)
        ref = get_ref_chain(ctx, this_val, cls);
    if (!ref)
        return JS_ThrowTypeError(ctx, "Illegal invocation");
    ContextObject *c = enter_host(ctx);
    if (!c)
        return JS_EXCEPTION;
    JSValue r = call_py(c, ctx, fn, ref->obj, this_val, 0, 1, &val);
    if (JS_IsException(r))
        return r;
    JS_FreeValue(ctx, r);
    return JS_UNDEFINED;
}

static JSValue host_ctor(JSContext *ctx, JSValueConst new_target, int argc, JSValueConst *argv, int magic)
{
    HostClassObject *cls = g_slots[magic].cls;
    PyObject *fn = g_slots[magic].fn;
    if (!fn)
        return JS_ThrowTypeError(ctx, "Illegal constructor");
    ContextObject *c = enter_host(ctx);
    if (!c)
        return JS_EXCEPTION;
    JSValue proto = JS_GetPropertyStr(ctx, new_target, "prototype");
    if (JS_IsException(proto))
        return proto;
    if (!JS_IsObject(proto)) {
        JS_FreeValue(ctx, proto);
        proto = JS_GetClassProto(ctx, cls->class_id);
    }
    PyObject *res = call_py_raw(c, ctx, fn, NULL, JS_UNDEFINED, 0, argc, argv);
    if (!res) {
        JS_FreeValue(ctx, proto);
        return throw_py_error(c, ctx);
    }
    JSValue obj = JS_NewObjectProtoClass(ctx, proto, cls->class_id);
    JS_FreeValue(ctx, proto);
    if (JS_IsException(obj)) {
        Py_DECREF(res);
        return obj;
    }
    PyRef *ref = pyref_new(c, res);
    Py_DECREF(res);
    if (!ref) {
        JS_FreeValue(ctx, obj);
        return throw_py_error(c, ctx);
    }
    JS_SetOpaque(obj, ref);
    return obj;
}

/* ------------------------------------------------------------------ */
/* per runtime / per context                                            */

int hostclass_ensure(ContextObject *c, HostClassObject *cls, JSValue *proto_out)
{
    JSRuntime *rt = c->rt->rt;
    JSContext *ctx = c->ctx;
    if (!JS_IsRegisteredClass(rt, cls->class_id)) {
        JSClassDef def;
        memset(&def, 0, sizeof(def));
        def.class_name = cls->cname;
        def.finalizer = hostclass_finalizer;
        if (JS_NewClass(rt, cls->class_id, &def) < 0) {
            PyErr_Format(g_EngineError, "could not register class %s", cls->cname);
            return -1;
        }
    }
    JSValue proto = JS_GetClassProto(ctx, cls->class_id);
    if (JS_IsObject(proto)) {
        *proto_out = proto;
        return 0;
    }
    JS_FreeValue(ctx, proto);

    JSValue parent_proto = JS_UNDEFINED, parent_ctor = JS_UNDEFINED;
    if (cls->parent) {
        if (hostclass_ensure(c, cls->parent, &parent_proto) < 0)
            return -1;
        parent_ctor = JS_GetPropertyStr(ctx, parent_proto, "constructor");
        if (JS_IsException(parent_ctor)) {
            JS_FreeValue(ctx, parent_proto);
            raise_js_error(c, ctx);
            return -1;
        }
        proto = JS_NewObjectProto(ctx, parent_proto);
        JS_FreeValue(ctx, parent_proto);
    } else {
        proto = JS_NewObject(ctx);
    }
    if (JS_IsException(proto))
        goto fail;
    if (JS_SetPropertyFunctionList(ctx, proto, cls->proto_entries, cls->n_proto) < 0)
        goto fail;
    JSCFunctionType ft;
    ft.constructor_magic = host_ctor;
    JSValue ctor = JS_NewCFunction2(ctx, ft.generic, cls->cname, cls->ctor_length,
                                    JS_CFUNC_constructor_magic, cls->ctor_magic);
    if (JS_IsException(ctor))
        goto fail;
    if (JS_SetPropertyFunctionList(ctx, ctor, cls->static_entries, cls->n_static) < 0
        || JS_SetConstructor(ctx, ctor, proto) < 0
        || (cls->parent && JS_SetPrototype(ctx, ctor, parent_ctor) < 0)) {
        JS_FreeValue(ctx, ctor);
        goto fail;
    }
    JS_FreeValue(ctx, ctor);     /* proto.constructor keeps it */
    JS_FreeValue(ctx, parent_ctor);
    JS_SetClassProto(ctx, cls->class_id, JS_DupValue(ctx, proto));
    *proto_out = proto;
    return 0;
fail:
    JS_FreeValue(ctx, parent_ctor);
    JS_FreeValue(ctx, proto);
    raise_js_error(c, ctx);
    return -1;
}

/* ------------------------------------------------------------------ */
/* HostClass type                                                        */

static char *dup_name(PyObject *key, const char *what)
{
    if (!PyUnicode_Check(key)) {
        PyErr_Format(PyExc_TypeError, "%s names must be str", what);
        return NULL;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(key, &len);
    if (!s)
        return NULL;
    if ((Py_ssize_t)strlen(s) != len || len == 0 || s[0] == '[') {
        PyErr_Format(PyExc_ValueError, "invalid %s name %R", what, key);
        return NULL;
    }
    char *d = PyMem_RawMalloc(len + 1);
    if (!d) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(d, s, len + 1);
    return d;
}

typedef struct {
    JSCFunctionListEntry *tab;
    int n, cap;
} EntryList;

static JSCFunctionListEntry *add_entry(EntryList *l)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        JSCFunctionListEntry *t = PyMem_RawRealloc(l->tab, cap * sizeof(*t));
        if (!t) {
            PyErr_NoMemory();
            return NULL;
        }
        l->tab = t;
        l->cap = cap;
    }
    JSCFunctionListEntry *e = &l->tab[l->n++];
    memset(e, 0, sizeof(*e));
    return e;
}

static int check_dict(PyObject *d, const char *what)
{
    if (d && d != Py_None && !PyDict_Check(d)) {
        PyErr_Format(PyExc_TypeError, "%s must be a dict", what);
        return -1;
    }
    return 0;
}

/* methods / static_methods: name -> callable | (callable, length) */
static int add_functions(HostClassObject *self, EntryList *l, PyObject *d, int is_static)
{
    if (!d || d == Py_None)
        return 0;
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(d, &pos, &k, &v)) {
        int length = 0;
        PyObject *fn = v;
        if (PyTuple_Check(v) && PyTuple_GET_SIZE(v) == 2) {
            fn = PyTuple_GET_ITEM(v, 0);
            length = (int)PyLong_AsLong(PyTuple_GET_ITEM(v, 1));
            if (length == -1 && PyErr_Occurred())
                return -1;
        }
        if (!PyCallable_Check(fn)) {
            PyErr_Format(PyExc_TypeError, "%R of %U is not callable", k, self->name);
            return -1;
        }
        if (length < 0 || length > 255) {
            PyErr_SetString(PyExc_ValueError, "function length must be in 0..255");
            return -1;
        }
        if (PyList_Append(self->keep, fn) < 0)
            return -1;
        int slot = new_slot(self, fn, NULL);
        if (slot < 0)
            return -1;
        char *name = dup_name(k, "method");
        if (!name)
            return -1;
        JSCFunctionListEntry *e = add_entry(l);
        if (!e)
            return -1;
        e->name = name;
        e->prop_flags = JS_PROP_C_W_E;
        e->def_type = JS_DEF_CFUNC;
        e->magic = (int16_t)slot;
        e->u.func.length = (uint8_t)length;
        e->u.func.cproto = JS_CFUNC_generic_magic;
        e->u.func.cfunc.generic_magic = is_static ? host_static : host_method;
    }
    return 0;
}

static int add_constants(HostClassObject *self, EntryList *l, PyObject *d)
{
    if (!d || d == Py_None)
        return 0;
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(d, &pos, &k, &v)) {
        char *name = dup_name(k, "constant");
        if (!name)
            return -1;
        JSCFunctionListEntry *e = add_entry(l);
        if (!e)
            return -1;
        e->name = name;
        e->prop_flags = JS_PROP_ENUMERABLE;
        if (PyBool_Check(v)) {
            e->def_type = JS_DEF_PROP_BOOL;
            e->u.i32 = v == Py_True;
        } else if (PyLong_Check(v)) {
            long long n = PyLong_AsLongLong(v);
            if (n == -1 && PyErr_Occurred())
                return -1;
            if (n >= INT32_MIN && n <= INT32_MAX) {
                e->def_type = JS_DEF_PROP_INT32;
                e->u.i32 = (int32_t)n;
            } else {
                e->def_type = JS_DEF_PROP_DOUBLE;
                e->u.f64 = (double)n;
            }
        } else if (PyFloat_Check(v)) {
            e->def_type = JS_DEF_PROP_DOUBLE;
            e->u.f64 = PyFloat_AS_DOUBLE(v);
        } else if (PyUnicode_Check(v)) {
            Py_ssize_t len;
            const char *s = PyUnicode_AsUTF8AndSize(v, &len);
            if (!s)
                return -1;
            char *d2 = PyMem_RawMalloc(len + 1);
            if (!d2)
                return -1;
            memcpy(d2, s, len + 1);
            e->def_type = JS_DEF_PROP_STRING;
            e->u.str = d2;
        } else {
            PyErr_Format(PyExc_TypeError, "constant %R must be bool, int, float or str", k);
            return -1;
        }
    }
    return 0;
}

static PyObject *HostClass_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"name", "constructor", "methods", "getters", "setters", "static_methods",
                             "parent", "iterator", "with_this", "constants", "length", "receiver_chain", NULL};
    PyObject *name, *ctor = Py_None, *methods = NULL, *getters = NULL, *setters = NULL, *statics = NULL,
             *parent = Py_None, *iterator = Py_None, *constants = NULL;
    int with_this = 0, length = 0, chain = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "U|OOOOOOOpOip:HostClass", kwlist, &name, &ctor, &methods,
                                     &getters, &setters, &statics, &parent, &iterator, &with_this,
                                     &constants, &length, &chain))
        return NULL;
    if (ctor != Py_None && !PyCallable_Check(ctor)) {
        PyErr_SetString(PyExc_TypeError, "constructor must be callable or None");
        return NULL;
    }
    if (parent != Py_None && !Py_IS_TYPE(parent, &HostClass_Type)) {
        PyErr_SetString(PyExc_TypeError, "parent must be a HostClass or None");
        return NULL;
    }
    if (iterator != Py_None && !PyUnicode_Check(iterator)) {
        PyErr_SetString(PyExc_TypeError, "iterator must be a method name or None");
        return NULL;
    }
    if (check_dict(methods, "methods") || check_dict(getters, "getters") || check_dict(setters, "setters")
        || check_dict(statics, "static_methods") || check_dict(constants, "constants"))
        return NULL;
    if (length < 0 || length > 255) {
        PyErr_SetString(PyExc_ValueError, "length must be in 0..255");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(name) || PyUnicode_GET_LENGTH(name) == 0) {
        PyErr_SetString(PyExc_ValueError, "a host class name must be non-empty ASCII");
        return NULL;
    }
    if (g_nclasses >= MAX_CLASSES || g_class_base + g_nclasses >= (1 << 16)) {
        PyErr_SetString(PyExc_RuntimeError, "too many host classes in this process");
        return NULL;
    }

    HostClassObject *self = (HostClassObject *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    EntryList pl = {0}, sl = {0};
    self->name = Py_NewRef(name);
    self->cname = dup_name(name, "class");
    self->keep = PyList_New(0);
    if (!self->cname || !self->keep)
        goto fail;
    self->with_this = with_this;
    self->chain = chain;
    self->ctor_length = length;
    if (parent != Py_None)
        self->parent = (HostClassObject *)Py_NewRef(parent);
    if (ctor != Py_None) {
        self->ctor = Py_NewRef(ctor);
        if (PyList_Append(self->keep, ctor) < 0)
            goto fail;
    }
    self->ctor_magic = new_slot(self, self->ctor, NULL);
    if (self->ctor_magic < 0)
        goto fail;

    if (add_functions(self, &pl, methods, 0) < 0)
        goto fail;
    /* accessors: every getter, then setters without a getter */
    for (int pass = 0; pass < 2; pass++) {
        PyObject *d = pass == 0 ? getters : setters;
        if (!d || d == Py_None)
            continue;
        Py_ssize_t pos = 0;
        PyObject *k, *v;
        while (PyDict_Next(d, &pos, &k, &v)) {
            PyObject *g = NULL, *s = NULL;
            if (pass == 0) {
                g = v;
                s = (setters && setters != Py_None) ? PyDict_GetItemWithError(setters, k) : NULL;
                if (!s && PyErr_Occurred())
                    goto fail;
            } else {
                if (getters && getters != Py_None && PyDict_Contains(getters, k))
                    continue;
                s = v;
            }
            if ((g && !PyCallable_Check(g)) || (s && !PyCallable_Check(s))) {
                PyErr_Format(PyExc_TypeError, "accessor %R of %U is not callable", k, name);
                goto fail;
            }
            if ((g && PyList_Append(self->keep, g) < 0) || (s && PyList_Append(self->keep, s) < 0))
                goto fail;
            int slot = new_slot(self, g, s);
            if (slot < 0)
                goto fail;
            char *n = dup_name(k, "accessor");
            if (!n)
                goto fail;
            JSCFunctionListEntry *e = add_entry(&pl);
            if (!e)
                goto fail;
            e->name = n;
            e->prop_flags = JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE;
            e->def_type = JS_DEF_CGETSET_MAGIC;
            e->magic = (int16_t)slot;
            e->u.getset.get.getter_magic = g ? host_getter : NULL;
            e->u.getset.set.setter_magic = s ? host_setter : NULL;
        }
    }
    if (add_constants(self, &pl, constants) < 0 || add_constants(self, &sl, constants) < 0)
        goto fail;
    if (add_functions(self, &sl, statics, 1) < 0)
        goto fail;
    JSCFunctionListEntry *e = add_entry(&pl);
    if (!e)
        goto fail;
    e->name = "[Symbol.toStringTag]";
    e->prop_flags = JS_PROP_CONFIGURABLE;
    e->def_type = JS_DEF_PROP_STRING;
    e->u.str = self->cname;
    if (iterator != Py_None) {
        if (!methods || methods == Py_None || !PyDict_Contains(methods, iterator)) {
            PyErr_Format(PyExc_ValueError, "iterator %R is not one of the methods", iterator);
            goto fail;
        }
        char *n = dup_name(iterator, "iterator");
        if (!n)
            goto fail;
        e = add_entry(&pl);
        if (!e)
            goto fail;
        e->name = "[Symbol.iterator]";
        e->prop_flags = JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE;
        e->def_type = JS_DEF_ALIAS;
        e->u.alias.name = n;
        e->u.alias.base = -1;
    }
    self->proto_entries = pl.tab;
    self->n_proto = pl.n;
    self->static_entries = sl.tab;
    self->n_static = sl.n;

    if (g_nclasses == g_cap_classes) {
        int cap = g_cap_classes ? g_cap_classes * 2 : 64;
        HostClassObject **n = PyMem_RawRealloc(g_classes, cap * sizeof(*n));
        if (!n) {
            PyErr_NoMemory();
            goto fail;
        }
        g_classes = n;
        g_cap_classes = cap;
    }
    self->index = g_nclasses;
    self->class_id = g_class_base + (JSClassID)g_nclasses;
    g_classes[g_nclasses++] = self;
    Py_INCREF(self);   /* immortal: QuickJS tables point into it */
    return (PyObject *)self;
fail:
    /* slots already handed out stay allocated (they point at this class but are unreachable) */
    PyMem_RawFree(pl.tab);
    PyMem_RawFree(sl.tab);
    for (int i = 0; i < g_nslots; i++)
        if (g_slots[i].cls == self)
            g_slots[i].cls = NULL, g_slots[i].fn = NULL, g_slots[i].fn2 = NULL;
    Py_DECREF(self);
    return NULL;
}

static void HostClass_dealloc(HostClassObject *self)
{
    /* only reached when construction failed */
    Py_CLEAR(self->name);
    Py_CLEAR(self->ctor);
    Py_CLEAR(self->keep);
    Py_CLEAR(self->parent);
    PyMem_RawFree(self->cname);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *HostClass_repr(HostClassObject *self)
{
    return PyUnicode_FromFormat("<HostClass %U>", self->name);
}

static PyObject *HostClass_get_name(HostClassObject *self, void *c) { return Py_NewRef(self->name); }
static PyObject *HostClass_get_parent(HostClassObject *self, void *c)
{
    return Py_NewRef(self->parent ? (PyObject *)self->parent : Py_None);
}
static PyObject *HostClass_get_constructor(HostClassObject *self, void *c)
{
    return Py_NewRef(self->ctor ? self->ctor : Py_None);
}
static PyObject *HostClass_get_with_this(HostClassObject *self, void *c) { return PyBool_FromLong(self->with_this); }
static PyObject *HostClass_get_class_id(HostClassObject *self, void *c) { return PyLong_FromLong(self->class_id); }

static PyGetSetDef HostClass_getset[] = {
    {"name", (getter)HostClass_get_name, NULL, NULL},
    {"parent", (getter)HostClass_get_parent, NULL, NULL},
    {"constructor", (getter)HostClass_get_constructor, NULL, NULL},
    {"with_this", (getter)HostClass_get_with_this, NULL, NULL},
    {"class_id", (getter)HostClass_get_class_id, NULL, NULL},
    {NULL}
};

PyTypeObject HostClass_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "workerd_py.engine.HostClass",
    .tp_basicsize = sizeof(HostClassObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = HostClass_new,
    .tp_dealloc = (destructor)HostClass_dealloc,
    .tp_repr = (reprfunc)HostClass_repr,
    .tp_getset = HostClass_getset,
    .tp_doc = "HostClass(name, constructor=None, methods=None, getters=None, setters=None,\n"
              "          static_methods=None, parent=None, iterator=None, with_this=False,\n"
              "          constants=None, length=0)\n"
              "A process-wide class spec exposed to JS (see engine/README.md). Immortal.",
};

int hostclass_init_module(PyObject *m)
{
    if (PyType_Ready(&HostClass_Type) < 0)
        return -1;
    return PyModule_AddObjectRef(m, "HostClass", (PyObject *)&HostClass_Type);
}
