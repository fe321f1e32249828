import { createSignal, createUniqueId, For, type JSX, mergeProps, Show } from 'solid-js';
import { cx } from '../../utils/cx.ts';
import { formatBytes } from '../../utils/format.ts';

/** Where one file stands: picked, sending, stored, or refused. */
export type FileUploadStatus = 'queued' | 'uploading' | 'done' | 'error';

/** One file of the zone's list. */
export interface FileDropZoneItem {
  /** Stable key of the entry (not the file name: two files may share one). */
  id: string;
  name: string;
  /** Size in bytes. */
  size: number;
  status: FileUploadStatus;
  /** Share sent, 0 to 1, while uploading. */
  progress?: number;
  /** Why it was refused, shown under the file. */
  error?: string;
}

export interface FileDropZoneProps {
  /** The input's visible label and accessible name. Defaults to "Attachments". */
  label?: string;
  /** A hint under the label: allowed types, size limit. */
  description?: JSX.Element;
  /** The `accept` attribute of the file input (a hint; the server decides). */
  accept?: string;
  /** Allow several files at once. Defaults to true. */
  multiple?: boolean;
  disabled?: boolean;
  /** The files picked so far, with their upload state. */
  items: FileDropZoneItem[];
  /** Called with files picked in the dialog or dropped on the zone. */
  onFiles: (files: File[]) => void;
  /** Called by an entry's Remove button; no button is shown without it, or while uploading. */
  onRemove?: (id: string) => void;
  /** A message for the whole field, e.g. from the server. */
  error?: string;
  /** Id for the input; generated when absent. */
  inputId?: string;
}

const STATUS_TEXT: Record<FileUploadStatus, string> = {
  queued: 'Ready to upload',
  uploading: 'Uploading',
  done: 'Uploaded',
  error: 'Not uploaded',
};

/**
 * A file field that also takes dropped files, and lists each file with its own upload progress. The
 * real control is a labelled `<input type="file">`, so keyboards, screen readers and test drivers use
 * it as any file input; the zone around it is the drop target and a larger click area.
 */
export function FileDropZone(props: FileDropZoneProps) {
  const local = mergeProps({ label: 'Attachments', multiple: true }, props);
  // Read once: the id ties the label, hint and error to the input for the component's whole life.
  const inputId = local.inputId ?? `atum-files-${createUniqueId()}`;
  const [dragging, setDragging] = createSignal(false);

  const take = (list: FileList | null | undefined) => {
    const files = list ? Array.from(list) : [];
    if (files.length > 0 && !local.disabled) local.onFiles(local.multiple ? files : files.slice(0, 1));
  };

  const onDrop: JSX.EventHandler<HTMLDivElement, DragEvent> = (event) => {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer?.files);
  };

  const describedBy = () =>
    [local.description ? `${inputId}-description` : undefined, local.error ? `${inputId}-error` : undefined]
      .filter(Boolean)
      .join(' ') || undefined;

  return (
    <div class="atum-drop" data-invalid={local.error ? '' : undefined}>
      <label class="atum-text-field__label" for={inputId}>
        {local.label}
      </label>
      <Show when={local.description}>
        <p id={`${inputId}-description`} class="atum-text-field__description">
          {local.description}
        </p>
      </Show>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: drag and drop is an extra for pointer users; the labelled file input inside is the control everyone can use */}
      <div
        class="atum-drop__zone"
        data-dragging={dragging() ? '' : undefined}
        data-disabled={local.disabled ? '' : undefined}
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <input
          id={inputId}
          class="atum-drop__input"
          type="file"
          multiple={local.multiple}
          accept={local.accept}
          disabled={local.disabled}
          aria-invalid={local.error ? 'true' : undefined}
          aria-describedby={describedBy()}
          onChange={(event) => {
            take(event.currentTarget.files);
            // Cleared so picking the same file again still reports a change.
            event.currentTarget.value = '';
          }}
        />
        <span class="atum-drop__prompt" aria-hidden="true">
          <span class="atum-drop__icon">⇪</span>
          <span>
            Drop files here or <span class="atum-drop__browse">choose files</span>
          </span>
        </span>
      </div>
      <Show when={local.error}>
        <p id={`${inputId}-error`} class="atum-text-field__error">
          {local.error}
        </p>
      </Show>
      <Show when={local.items.length > 0}>
        <ul class="atum-drop__list" aria-label={`${local.label}: selected files`}>
          <For each={local.items}>
            {(item) => <FileRow item={item} disabled={local.disabled} onRemove={local.onRemove} />}
          </For>
        </ul>
      </Show>
    </div>
  );
}

function FileRow(props: {
  item: FileDropZoneItem;
  disabled: boolean | undefined;
  onRemove: ((id: string) => void) | undefined;
}) {
  const percent = () => Math.round((props.item.progress ?? (props.item.status === 'done' ? 1 : 0)) * 100);
  return (
    <li class="atum-drop__file" data-status={props.item.status}>
      <div class="atum-drop__file-head">
        <span class="atum-drop__file-name">{props.item.name}</span>
        <span class="atum-drop__file-size">{formatBytes(props.item.size)}</span>
        <Show when={props.onRemove && props.item.status !== 'uploading' && props.item.status !== 'done'}>
          <button
            type="button"
            class={cx('atum-button', 'atum-drop__remove')}
            data-variant="ghost"
            disabled={props.disabled}
            aria-label={`Remove ${props.item.name}`}
            onClick={() => props.onRemove?.(props.item.id)}
          >
            Remove
          </button>
        </Show>
      </div>
      <Show when={props.item.status === 'uploading' || props.item.status === 'done'}>
        <progress
          class="atum-drop__progress"
          max="100"
          value={percent()}
          aria-label={`Upload of ${props.item.name}`}
        />
      </Show>
      <p class="atum-drop__file-status" aria-live="polite">
        <Show when={props.item.status === 'uploading'} fallback={STATUS_TEXT[props.item.status]}>
          Uploading {percent()} %
        </Show>
        <Show when={props.item.error}>
          <span class="atum-drop__file-error">: {props.item.error}</span>
        </Show>
      </p>
    </li>
  );
}
