// Types of the platform modules the demo component imports; on the platform
// (and in the workbench build) these are generated or provided per org.
declare module 'lightning/uiRecordApi' {
  export interface FieldValue {
    value: unknown;
    displayValue: string | null;
  }
  export interface RecordRepresentation {
    apiName: string;
    id: string;
    fields: Record<string, FieldValue>;
  }
  export const getRecord: import('lwc').WireAdapterConstructor<
    Record<string, unknown>,
    { data?: RecordRepresentation; error?: { body?: unknown; statusText?: string } }
  >;
  export function getFieldValue(record: RecordRepresentation, field: unknown): unknown;
}
declare module 'lightning/platformShowToastEvent' {
  export class ShowToastEvent extends CustomEvent<unknown> {
    constructor(toast: { title?: string; message?: string; variant?: string; mode?: string });
  }
}
declare module '@salesforce/schema/*' {
  const field: { objectApiName: string; fieldApiName?: string };
  export default field;
}
declare module '@salesforce/label/*' {
  const label: string;
  export default label;
}
declare module '@salesforce/i18n/*' {
  const value: string;
  export default value;
}
declare module '@salesforce/user/Id' {
  const id: string;
  export default id;
}
