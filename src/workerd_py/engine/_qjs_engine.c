/* The quickjs-ng engine (quickjs.c from the pinned sdist, never committed) compiled as one
 * translation unit with its per-runtime small-block arenas turned off.
 *
 * quickjs-ng 0.17 carves small allocations out of 4 KB arenas per size class and per runtime;
 * an idle runtime+context then holds ~60 KB of partly used pages (169 KB RSS instead of
 * 111 KB). quickjs.c routes every allocation to the backing allocator when
 * __SANITIZE_ADDRESS__ is defined (its only use of that macro); our backing allocator is
 * pymalloc (see qjs_malloc in _quickjs.c), whose pools are shared by all runtimes.
 */
#define __SANITIZE_ADDRESS__ 0
#include "quickjs.c"
