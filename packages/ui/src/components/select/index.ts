// A select shares the field parts of TextField (label, hint, error wiring); only its control differs.
export type { TextFieldDescriptionProps as DescriptionProps } from '../text-field/text-field-description.tsx';
export { TextFieldDescription as Description } from '../text-field/text-field-description.tsx';
export type { TextFieldErrorProps as ErrorProps } from '../text-field/text-field-error.tsx';
export { TextFieldError as Error } from '../text-field/text-field-error.tsx';
export type { TextFieldLabelProps as LabelProps } from '../text-field/text-field-label.tsx';
export { TextFieldLabel as Label } from '../text-field/text-field-label.tsx';
export type { TextFieldRootProps as RootProps } from '../text-field/text-field-root.tsx';
export { TextFieldRoot as Root } from '../text-field/text-field-root.tsx';
export type { SelectControlProps as ControlProps } from './select-control.tsx';
export { SelectControl as Control } from './select-control.tsx';
