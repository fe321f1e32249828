import { createEffect } from 'solid-js';

/** Sets the document title for the page being shown: "My tickets · ATUM DESK". */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ATUM DESK`;
  });
}
