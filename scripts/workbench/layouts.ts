/** Where components go on a record page, by region. */
export interface PageLayout {
  main: string[];
  side: string[];
  /** Quick actions: header buttons that open the component in a dialog. */
  actions?: string[];
}

/** The record pages of force-app's flexipages, as the workbench lays them out. */
export const DEFAULT_LAYOUTS: Record<string, PageLayout> = {
  Account: {
    main: ['c/experienceScorecard', 'c/journeyGapMap'],
    side: ['c/perceptionCapture']
  },
  Contact: { main: ['c/experienceScorecard'], side: ['c/perceptionCapture'] },
  Case: {
    main: ['c/experienceScorecard'],
    side: ['c/perceptionCapture'],
    actions: ['c/perceptionCapture']
  },
  Opportunity: {
    main: ['c/experienceScorecard'],
    side: ['c/perceptionCapture'],
    actions: ['c/perceptionCapture']
  },
  Order: { main: ['c/experienceScorecard'], side: ['c/perceptionCapture'] },
  CX_Touchpoint__c: { main: ['c/gapPriorities'], side: [] }
};

/** The objects the home page offers to pick a record of. */
export const PICKABLE_OBJECTS = ['Account', 'Case', 'Opportunity'];

/** The field(s) a record page's header shows as the record's name. */
export const NAME_FIELDS: Record<string, string[]> = {
  Case: ['CaseNumber', 'Subject'],
  Order: ['OrderNumber'],
  Task: ['Subject']
};

export function nameFieldsOf(objectApiName: string): string[] {
  return NAME_FIELDS[objectApiName] ?? ['Name'];
}
