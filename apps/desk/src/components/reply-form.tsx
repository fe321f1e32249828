import {
  type AttachmentInfo,
  type StaffTicketDetailInfo,
  UPLOAD_ACCEPT,
  type UserInfo,
  ZAddCommentInput,
} from '@atum-desk/core/domain';
import { Alert, Button, FileDropZone, type FileDropZoneItem, TextField, useToast } from '@atum-desk/ui';
import { useMutation, useQueryClient } from '@tanstack/solid-query';
import { createEffect, createSignal, createUniqueId, on, Show } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { describeError, issuesToFields } from '../api/errors.ts';
import { queryKeys } from '../api/queries.ts';
import { useShortcuts } from '../shortcuts/shortcut-provider.tsx';
import { PENDING_PREFIX } from '../tickets/conversation.ts';
import { invalidateTicketViews } from './ticket-actions.ts';
import { UnsavedGuard } from './unsaved-guard.tsx';

interface PickedFile extends FileDropZoneItem {
  file: File;
}

/**
 * The reply box of the staff ticket page: field `Reply`, checkbox `Internal note`, optional files,
 * button `Send` (also Ctrl+Enter). The reply shows at once as "sending" and goes back into the box if
 * the server refuses; files upload after it, attached to it, internal when the note is.
 */
export function ReplyForm(props: {
  ticket: StaffTicketDetailInfo;
  user: UserInfo;
  /** Told whether the box holds text, whenever that changes (presence: "… is replying"). */
  onDraftChange?: (hasText: boolean) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [body, setBody] = createSignal('');
  const [internal, setInternal] = createSignal(false);
  const [files, setFiles] = createSignal<PickedFile[]>([]);
  const [error, setError] = createSignal<string>();
  const [uploadError, setUploadError] = createSignal<string>();
  let field: HTMLTextAreaElement | undefined;
  let internalBox: HTMLInputElement | undefined;
  const key = () => queryKeys.ticket(props.ticket.id);
  const dirty = () => body().trim().length > 0 || files().some((file) => file.status === 'queued');
  const hasText = () => body().trim().length > 0;
  createEffect(on(hasText, (writing) => props.onDraftChange?.(writing), { defer: true }));

  const reply = useMutation(() => ({
    mutationFn: (input: { body: string; internal: boolean }) =>
      api.client.internal.tickets.comment.mutate({
        id: props.ticket.id,
        body: input.body,
        internal: input.internal,
      }),
    // Optimistic, as TanStack Query's guide does it: the cached ticket gets the reply at once.
    onMutate: async (input: { body: string; internal: boolean }) => {
      await queryClient.cancelQueries({ queryKey: key() });
      const previous = queryClient.getQueryData<StaffTicketDetailInfo>(key());
      if (previous) {
        queryClient.setQueryData<StaffTicketDetailInfo>(key(), {
          ...previous,
          comments: [
            ...previous.comments,
            {
              id: `${PENDING_PREFIX}${createUniqueId()}`,
              ticketId: previous.id,
              authorId: props.user.id,
              body: input.body.trim(),
              internal: input.internal,
              createdAt: new Date(),
            },
          ],
        });
      }
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) queryClient.setQueryData(key(), context.previous);
    },
    // A public reply may record the first response; every reply is in the audit trail.
    onSettled: () => invalidateTicketViews(queryClient),
  }));

  const uploadAll = async (commentId: string, asInternal: boolean) => {
    const queued = files().filter((file) => file.status === 'queued');
    const failures: string[] = [];
    for (const picked of queued) {
      const patch = (change: Partial<PickedFile>) =>
        setFiles((list) => list.map((file) => (file.id === picked.id ? { ...file, ...change } : file)));
      patch({ status: 'uploading', progress: 0 });
      try {
        await api.upload(props.ticket.id, picked.file, {
          internal: asInternal,
          commentId,
          onProgress: (progress) => patch({ progress }),
        });
        patch({ status: 'done', progress: 1 });
      } catch (failure) {
        const message = describeError(failure).message;
        patch({ status: 'error', error: message });
        failures.push(`${picked.name}: ${message}`);
      }
    }
    if (queued.length > 0) void queryClient.invalidateQueries({ queryKey: key() });
    if (failures.length > 0) setUploadError(`Some files were not attached. ${failures.join(' ')}`);
    else setFiles([]);
  };

  const submit = async (event?: Event) => {
    event?.preventDefault();
    if (reply.isPending) return;
    const checked = ZAddCommentInput.safeParse({ id: props.ticket.id, body: body() });
    if (!checked.success) {
      setError(issuesToFields(checked.error.issues).body ?? 'Write a reply first.');
      field?.focus();
      return;
    }
    setError(undefined);
    setUploadError(undefined);
    const text = body();
    const asInternal = internal();
    setBody('');
    try {
      const comment = await reply.mutateAsync({ body: text, internal: asInternal });
      await uploadAll(comment.id, asInternal);
      toast.show({
        message: asInternal ? 'Internal note added. Customers do not see it.' : 'Reply sent to the customer.',
        tone: 'success',
        duration: 3000,
      });
    } catch (failure) {
      const problem = describeError(failure);
      // Whatever the server objects to (a closed ticket, someone else's ticket), it concerns this
      // reply: the message goes next to the field, and the text comes back.
      setBody(text);
      setError(problem.fields.body ?? problem.message);
      field?.focus();
    }
  };

  useShortcuts(() => [
    { keys: ['r'], description: 'Write a reply', group: 'Ticket', run: () => field?.focus() },
    {
      keys: ['i'],
      description: 'Switch the reply between public and internal note',
      group: 'Ticket',
      run: () => {
        setInternal((value) => !value);
        internalBox?.focus();
      },
    },
  ]);

  return (
    <form
      class="desk-form desk-reply"
      data-internal={internal() ? '' : undefined}
      novalidate
      onSubmit={submit}
      aria-label={internal() ? 'Internal note' : 'Reply to the customer'}
    >
      <TextField.Root invalid={error() !== undefined}>
        <TextField.Label>Reply</TextField.Label>
        <TextField.Description>
          <Show when={internal()} fallback={<>The customer receives this reply. Ctrl+Enter sends.</>}>
            <strong>Internal note:</strong> only staff see it. Ctrl+Enter sends.
          </Show>
        </TextField.Description>
        <TextField.TextArea
          ref={field}
          name="body"
          rows={5}
          aria-keyshortcuts="r"
          value={body()}
          onInput={(event) => setBody(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit(event);
          }}
        />
        <TextField.Error>{error()}</TextField.Error>
      </TextField.Root>
      <label class="desk-checkbox">
        <input
          ref={internalBox}
          type="checkbox"
          name="internal"
          aria-keyshortcuts="i"
          checked={internal()}
          onChange={(event) => setInternal(event.currentTarget.checked)}
        />
        <span>Internal note</span>
      </label>
      <FileDropZone
        label="Files"
        description="Optional. Images, PDF, text, office documents or zip; sent with this reply."
        accept={UPLOAD_ACCEPT}
        items={files()}
        disabled={reply.isPending}
        onFiles={(picked) =>
          setFiles((list) => [
            ...list.filter((file) => file.status !== 'done'),
            ...picked.map((file) => ({
              id: createUniqueId(),
              name: file.name,
              size: file.size,
              status: 'queued' as const,
              file,
            })),
          ])
        }
        onRemove={(id) => setFiles((list) => list.filter((file) => file.id !== id))}
      />
      <Show when={uploadError()}>
        <Alert tone="danger">{uploadError()}</Alert>
      </Show>
      <div class="desk-form__actions">
        <Button type="submit" busy={reply.isPending}>
          Send
        </Button>
      </div>
      <UnsavedGuard dirty={dirty} what="reply" />
    </form>
  );
}

/** An attachment's download address. */
export function downloadHref(attachment: Pick<AttachmentInfo, 'id'>): string {
  return `/api/v1/attachments/${encodeURIComponent(attachment.id)}/download`;
}
