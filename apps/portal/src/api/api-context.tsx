import type { AtumClient } from '@atum-desk/core/client';
import { createContext, type JSX, useContext } from 'solid-js';
import type { LiveSubscribe } from './live-updates.tsx';
import type { UploadedAttachment, UploadOptions } from './upload.ts';

/** Everything the pages use to reach the server: the typed tRPC client and the one upload request. */
export interface PortalApi {
  client: AtumClient;
  upload(ticketId: string, file: File, options?: UploadOptions): Promise<UploadedAttachment>;
  /** Live ticket events over the WebSocket; absent where there is no server to listen to (tests). */
  live?: LiveSubscribe;
}

const ApiContext = createContext<PortalApi>();

/** Makes the API available to the pages; tests provide a fake one. */
export function ApiProvider(props: { api: PortalApi; children?: JSX.Element }) {
  return <ApiContext.Provider value={props.api}>{props.children}</ApiContext.Provider>;
}

/** The API of the enclosing `ApiProvider`. */
export function useApi(): PortalApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi must be used inside ApiProvider');
  return api;
}
