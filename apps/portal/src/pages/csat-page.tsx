import {
  CSAT_MAX_RATING,
  CSAT_MIN_RATING,
  type CsatAnswerInput,
  ZCsatAnswerInput,
} from '@atum-desk/core/domain';
import { Alert, Button, Card, ErrorState, Skeleton, TextField } from '@atum-desk/ui';
import { useParams } from '@solidjs/router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/solid-query';
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { csatSurveyQuery, submitCsat } from '../api/csat.ts';
import { describeError, issuesToFields } from '../api/errors.ts';
import { queryKeys } from '../api/queries.ts';
import { usePageTitle } from '../page-title.ts';

const RATING_WORDS: Record<number, string> = {
  1: 'Very dissatisfied',
  2: 'Dissatisfied',
  3: 'Neutral',
  4: 'Satisfied',
  5: 'Very satisfied',
};

const RATINGS = Array.from(
  { length: CSAT_MAX_RATING - CSAT_MIN_RATING + 1 },
  (_, index) => CSAT_MAX_RATING - index,
);

/**
 * `/portal/csat/:token`: the satisfaction survey linked from the "resolved" mail. The signed token is
 * the permission, so no sign-in is needed; one answer per ticket.
 */
export default function CsatPage() {
  const api = useApi();
  const params = useParams<{ token: string }>();
  const survey = useQuery(() => ({ ...csatSurveyQuery(api, params.token), retry: false }));
  usePageTitle(() => 'Rate our service');

  return (
    <Card.Root class="portal-form-card">
      <Switch fallback={<Skeleton lines={4} label="Loading the survey" />}>
        <Match when={survey.isError}>
          <ErrorState
            level={1}
            title="This rating link does not work"
            message={
              describeError(survey.error).status === 404
                ? 'The link is not valid, or has expired. Thank you for wanting to tell us!'
                : describeError(survey.error).message
            }
          />
        </Match>
        <Match when={survey.isSuccess && survey.data.answered}>
          <Thanks />
        </Match>
        <Match when={survey.isSuccess}>
          <CsatForm
            token={params.token}
            ticketNumber={survey.data?.ticketNumber ?? 0}
            title={survey.data?.title ?? ''}
          />
        </Match>
      </Switch>
    </Card.Root>
  );
}

function Thanks() {
  return (
    <>
      <Card.Title level={1}>Thank you</Card.Title>
      <p>Your rating has been recorded. It helps us serve you better.</p>
    </>
  );
}

function CsatForm(props: { token: string; ticketNumber: number; title: string }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [rating, setRating] = createSignal<number>();
  const [comment, setComment] = createSignal('');
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [formError, setFormError] = createSignal<string>();
  const send = useMutation(() => ({
    mutationFn: (input: CsatAnswerInput) => submitCsat(api, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.csat(props.token) }),
  }));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const input = { token: props.token, rating: rating(), comment: comment().trim() || null };
    const checked = ZCsatAnswerInput.safeParse(input);
    if (!checked.success) {
      setErrors(issuesToFields(checked.error.issues));
      return;
    }
    setErrors({});
    setFormError(undefined);
    try {
      await send.mutateAsync(checked.data);
    } catch (error) {
      const problem = describeError(error);
      setErrors(problem.fields);
      setFormError(problem.message);
    }
  };

  return (
    <Show when={!send.isSuccess} fallback={<Thanks />}>
      <Card.Title level={1}>How did we do?</Card.Title>
      <p class="portal-muted">
        Ticket #{props.ticketNumber}: {props.title}
      </p>
      <form class="portal-form" novalidate onSubmit={submit}>
        <fieldset
          class="portal-rating"
          aria-invalid={errors().rating ? 'true' : undefined}
          aria-describedby={errors().rating ? 'csat-rating-error' : undefined}
        >
          <legend class="atum-text-field__label">Your rating</legend>
          <For each={RATINGS}>
            {(value) => (
              <label class="portal-rating__option">
                <input
                  type="radio"
                  name="rating"
                  value={value}
                  checked={rating() === value}
                  onChange={() => setRating(value)}
                />
                <span>
                  {value} – {RATING_WORDS[value]}
                </span>
              </label>
            )}
          </For>
          <Show when={errors().rating}>
            <p id="csat-rating-error" class="atum-text-field__error">
              {errors().rating}
            </p>
          </Show>
        </fieldset>
        <TextField.Root invalid={errors().comment !== undefined}>
          <TextField.Label>Comment (optional)</TextField.Label>
          <TextField.TextArea
            rows={4}
            value={comment()}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
          <TextField.Error>{errors().comment}</TextField.Error>
        </TextField.Root>
        <Show when={formError()}>
          <Alert tone="danger">{formError()}</Alert>
        </Show>
        <div class="portal-form__actions">
          <Button type="submit" busy={send.isPending}>
            Send rating
          </Button>
        </div>
      </form>
    </Show>
  );
}
