import type { Placement, QuickActionDef } from './pages';

/** Where components go on a record page: specifiers, or placements with design attributes. */
export interface PageLayout {
  main: Array<string | Placement>;
  side: Array<string | Placement>;
  /** Quick actions: header buttons that open the component in a dialog. */
  actions?: QuickActionDef[];
}

/**
 * Record pages for objects that have no flexipage in force-app yet; where
 * force-app ships a record page, the workbench lays out that page instead.
 */
export const DEFAULT_LAYOUTS: Record<string, PageLayout> = {
  Account: {
    main: ['c/experienceScorecard', 'c/journeyGapMap'],
    side: ['c/perceptionCapture']
  },
  Contact: { main: ['c/experienceScorecard'], side: ['c/perceptionCapture'] },
  Case: { main: ['c/experienceScorecard'], side: ['c/perceptionCapture'] },
  Opportunity: { main: ['c/experienceScorecard'], side: ['c/perceptionCapture'] },
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
