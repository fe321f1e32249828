export type { AlertProps, AlertTone } from './components/alert/alert.tsx';
export { Alert } from './components/alert/alert.tsx';
export type { ButtonProps, ButtonVariant } from './components/button/button.tsx';
export { Button } from './components/button/button.tsx';
export * as Card from './components/card/index.ts';
export type { DateTimeProps } from './components/date-time/date-time.tsx';
export { DateTime } from './components/date-time/date-time.tsx';
export type { EmptyStateProps } from './components/empty-state/empty-state.tsx';
export { EmptyState } from './components/empty-state/empty-state.tsx';
export type { ErrorStateProps } from './components/error-state/error-state.tsx';
export { ErrorState } from './components/error-state/error-state.tsx';
export type {
  FileDropZoneItem,
  FileDropZoneProps,
  FileUploadStatus,
} from './components/file-drop-zone/file-drop-zone.tsx';
export { FileDropZone } from './components/file-drop-zone/file-drop-zone.tsx';
export type { LogoProps } from './components/logo/logo.tsx';
export { Logo } from './components/logo/logo.tsx';
export * as Modal from './components/modal/index.ts';
export type { NotFoundProps } from './components/not-found/not-found.tsx';
export { NotFound } from './components/not-found/not-found.tsx';
export type { PillProps, PillTone, PriorityPillProps, StatusPillProps } from './components/pill/pill.tsx';
export { Pill, PriorityPill, priorityText, StatusPill, statusLabel } from './components/pill/pill.tsx';
export * as Select from './components/select/index.ts';
export type { ShellProps } from './components/shell/shell.tsx';
export { Shell } from './components/shell/shell.tsx';
export * as Sidebar from './components/sidebar/index.ts';
export type { SignInFormProps } from './components/sign-in-form/sign-in-form.tsx';
export { SignInForm } from './components/sign-in-form/sign-in-form.tsx';
export type { SignInErrors, SignInValues } from './components/sign-in-form/validate-sign-in.ts';
export { validateSignIn } from './components/sign-in-form/validate-sign-in.ts';
export type { SkeletonProps } from './components/skeleton/skeleton.tsx';
export { Skeleton } from './components/skeleton/skeleton.tsx';
export * as Table from './components/table/index.ts';
export * as Tabs from './components/tabs/index.ts';
export * as TextField from './components/text-field/index.ts';
export * as Timeline from './components/timeline/index.ts';
export type { Toaster, ToastOptions, ToastTone } from './components/toast/toast.tsx';
export { ToastProvider, useToast } from './components/toast/toast.tsx';
export { cx } from './utils/cx.ts';
export { FormError, fieldErrorsOf } from './utils/form-error.ts';
export { formatBytes, formatDateTime, formatRelativeTime } from './utils/format.ts';
export type { Problem, ProblemReader, ProblemReaderOptions } from './utils/problem.ts';
export { issuesToFields, problemReader, sentence } from './utils/problem.ts';
