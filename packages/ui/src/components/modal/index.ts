export type { ModalRootProps as RootProps } from './modal.tsx';
export {
  ModalDescription as Description,
  ModalFooter as Footer,
  ModalRoot as Root,
  ModalTitle as Title,
  useModalClose as useClose,
} from './modal.tsx';
