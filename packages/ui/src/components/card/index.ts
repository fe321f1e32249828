export type { CardBodyProps as BodyProps } from './card-body.tsx';
export { CardBody as Body } from './card-body.tsx';
export type { CardRootProps as RootProps } from './card-root.tsx';
export { CardRoot as Root } from './card-root.tsx';
export type { CardTitleProps as TitleProps } from './card-title.tsx';
export { CardTitle as Title } from './card-title.tsx';
