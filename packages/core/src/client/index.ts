// @atum-desk/core/client: the typed client for the ATUM DESK API. The tRPC client arrives with the
// core API; until then this entry exposes only what is shared with browsers.
export * from '../domain/index.ts';
