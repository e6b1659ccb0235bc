/**
 * The wire protocol between supervisor and workers: frame codec and message formats, shared by
 * both sides and importing neither. Internal: public only because the runtime lives in another
 * module, with no compatibility promise; docs/PROTOCOL.md is the normative description.
 */
package io.forkpool.internal.protocol;
