export type { TextFieldErrorProps as ErrorProps } from './text-field-error.tsx';
export { TextFieldError as Error } from './text-field-error.tsx';
export type { TextFieldInputProps as InputProps } from './text-field-input.tsx';
export { TextFieldInput as Input } from './text-field-input.tsx';
export type { TextFieldLabelProps as LabelProps } from './text-field-label.tsx';
export { TextFieldLabel as Label } from './text-field-label.tsx';
export type { TextFieldRootProps as RootProps } from './text-field-root.tsx';
export { TextFieldRoot as Root } from './text-field-root.tsx';
