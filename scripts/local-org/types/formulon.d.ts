declare module 'formulon' {
  export interface FormulonLiteral {
    type: 'literal';
    value: unknown;
    dataType: string;
    options?: Record<string, unknown>;
  }
  export interface FormulonError {
    type: 'error';
    errorType: string;
    message: string;
  }
  export type FormulonNode =
    | FormulonLiteral
    | { type: 'identifier'; name: string }
    | { type: 'callExpression'; id: string; arguments: FormulonNode[] }
    | FormulonError;
  export function parse(
    formula: string,
    identifiers?: Record<string, FormulonLiteral>
  ): FormulonLiteral | FormulonError;
  export function ast(formula: string): FormulonNode;
  export function extract(formula: string): string[];
}
