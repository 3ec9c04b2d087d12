// HDF5 C API (Debian: headers under /usr/include/hdf5/serial, found by pkg-config).
// Macros such as H5F_ACC_TRUNC and the H5T_NATIVE_* globals do not import into Swift as
// constants: small inline functions expose them.
#ifndef BORDERSIM_CHDF5_SHIM_H
#define BORDERSIM_CHDF5_SHIM_H
#include <hdf5.h>
#include <hdf5_hl.h>
#include <string.h>

static inline unsigned bordersim_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned bordersim_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned bordersim_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned bordersim_H5F_ACC_RDWR(void) { return H5F_ACC_RDWR; }
static inline hid_t bordersim_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t bordersim_H5S_ALL(void) { return H5S_ALL; }
static inline hid_t bordersim_H5E_DEFAULT(void) { return H5E_DEFAULT; }
static inline hsize_t bordersim_H5S_UNLIMITED(void) { return H5S_UNLIMITED; }
static inline H5F_libver_t bordersim_H5F_LIBVER_LATEST(void) { return H5F_LIBVER_LATEST; }
static inline hid_t bordersim_H5P_FILE_CREATE(void) { return H5P_FILE_CREATE; }
static inline hid_t bordersim_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t bordersim_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t bordersim_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t bordersim_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t bordersim_H5T_NATIVE_INT32(void) { return H5T_NATIVE_INT32; }
static inline hid_t bordersim_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t bordersim_H5T_NATIVE_UINT64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t bordersim_H5T_C_S1(void) { return H5T_C_S1; }
static inline hid_t bordersim_H5T_STD_REF_OBJ(void) { return H5T_STD_REF_OBJ; }

/// Silences HDF5's automatic printing of its error stack: errors are read and reported by the caller.
static inline void bordersim_h5_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

typedef struct { char *buffer; size_t capacity; size_t used; } bordersim_h5_errbuf;

static inline herr_t bordersim_h5_walk(unsigned n, const H5E_error2_t *e, void *data) {
    bordersim_h5_errbuf *b = (bordersim_h5_errbuf *)data;
    const char *desc = (e->desc && e->desc[0]) ? e->desc : "(no description)";
    const char *func = e->func_name ? e->func_name : "?";
    int written = snprintf(b->buffer + b->used, b->capacity - b->used, "%s%s: %s", n ? "\x1e" : "", func, desc);
    if (written > 0) b->used += ((size_t)written < b->capacity - b->used) ? (size_t)written : b->capacity - b->used - 1;
    return 0;
}

/// Writes the current error stack, innermost (most specific) error first, one "function:
/// description" entry per record, entries separated by the ASCII record separator 0x1E
/// (descriptions may hold newlines); then clears the stack.
static inline void bordersim_h5_error_stack(char *buffer, size_t capacity) {
    bordersim_h5_errbuf b = { buffer, capacity, 0 };
    if (capacity == 0) return;
    buffer[0] = 0;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, bordersim_h5_walk, &b);
    H5Eclear2(H5E_DEFAULT);
}
#endif
