// HDF5 C API (Debian: headers under /usr/include/hdf5/serial, found by pkg-config).
// Macros such as H5F_ACC_TRUNC and the H5T_NATIVE_* globals do not import into Swift as
// constants: small inline functions expose them.
#ifndef BORDERSIM_CHDF5_SHIM_H
#define BORDERSIM_CHDF5_SHIM_H
#include <hdf5.h>
#include <hdf5_hl.h>

static inline unsigned bordersim_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline unsigned bordersim_H5F_ACC_EXCL(void) { return H5F_ACC_EXCL; }
static inline unsigned bordersim_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline hid_t bordersim_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t bordersim_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t bordersim_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t bordersim_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t bordersim_H5T_C_S1(void) { return H5T_C_S1; }
#endif
