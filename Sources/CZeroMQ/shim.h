#ifndef NEWSFLOW_CZEROMQ_SHIM_H
#define NEWSFLOW_CZEROMQ_SHIM_H
// libzmq's stable API (Debian libzmq3-dev 4.3.x). The DRAFT API is not built there, so it is not used.
#include <zmq.h>
#endif
