import { type JSX, Show } from 'solid-js';
import { Logo } from '../logo/logo.tsx';

export interface ShellProps {
  /** Where the logo and wordmark link to, e.g. `/portal/`. */
  homeHref: string;
  /** Which app this is, shown beside the wordmark, e.g. "Customer portal". */
  area: string;
  /** Navigation links for the header; rendered inside a labelled `<nav>`. */
  nav?: JSX.Element;
  /** A side navigation (`Sidebar.Root`), beside the content on wide screens, above it on phones. */
  sidebar?: JSX.Element;
  /** Footer content; a short product line when absent. */
  footer?: JSX.Element;
  children?: JSX.Element;
}

/** Page layout: a skip link, a header with the brand link and navigation, an optional sidebar, the main
 * landmark and a footer. */
export function Shell(props: ShellProps) {
  return (
    <div class="atum-shell">
      {/* rel="external" keeps @solidjs/router from handling this link: the browser's own fragment
          navigation then moves focus into <main> (tabindex -1), where the router would only scroll. */}
      <a class="atum-shell__skip" href="#atum-main" rel="external">
        Skip to content
      </a>
      <header class="atum-shell__header">
        <div class="atum-shell__bar">
          <a class="atum-shell__brand" href={props.homeHref}>
            <Logo decorative size={36} />
            <span class="atum-shell__wordmark">ATUM DESK</span>
          </a>
          <span class="atum-shell__area">{props.area}</span>
          <Show when={props.nav}>
            <nav class="atum-shell__nav" aria-label="Main">
              {props.nav}
            </nav>
          </Show>
        </div>
      </header>
      <div class="atum-shell__body" data-with-sidebar={props.sidebar ? '' : undefined}>
        <Show when={props.sidebar}>
          <div class="atum-shell__sidebar">{props.sidebar}</div>
        </Show>
        <main id="atum-main" class="atum-shell__main" tabindex="-1">
          {props.children}
        </main>
      </div>
      <footer class="atum-shell__footer">
        <Show when={props.footer} fallback={<p>ATUM DESK · self-hosted helpdesk</p>}>
          {props.footer}
        </Show>
      </footer>
    </div>
  );
}
