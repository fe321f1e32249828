import type { AtumClient, LiveEvent, PresenceEntry } from '@atum-desk/core/client';
import { createContext, type JSX, useContext } from 'solid-js';
import type { UploadedAttachment, UploadOptions } from './upload.ts';

/** Where the live connection stands, for the indicator in the header. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveHandlers {
  onEvent(event: LiveEvent): void;
  onStatus(status: LiveStatus): void;
}

/** An open live connection. */
export interface LiveConnection {
  close(): void;
}

/** Everything the pages use to reach the server. */
export interface DeskApi {
  /** The typed tRPC client (queries and mutations over HTTP). */
  client: AtumClient;
  /** The one hand-written request: a multipart upload with progress. */
  upload(ticketId: string, file: File, options?: UploadOptions): Promise<UploadedAttachment>;
  /** Subscribes to the ticket events over the WebSocket; reconnects by itself until closed. */
  connectLive(handlers: LiveHandlers): LiveConnection;
  /** The other staff members on a ticket, now and whenever that changes (over the same WebSocket). */
  watchPresence(ticketId: string, onChange: (others: PresenceEntry[]) => void): LiveConnection;
}

const ApiContext = createContext<DeskApi>();

/** Makes the API available to the pages; tests provide a fake one. */
export function ApiProvider(props: { api: DeskApi; children?: JSX.Element }) {
  return <ApiContext.Provider value={props.api}>{props.children}</ApiContext.Provider>;
}

/** The API of the enclosing `ApiProvider`. */
export function useApi(): DeskApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi must be used inside ApiProvider');
  return api;
}
