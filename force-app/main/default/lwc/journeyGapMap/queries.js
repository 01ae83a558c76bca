/**
 * The GraphQL documents of the journey gap map. Every connection sets `first`.
 */
import { gql } from 'lightning/graphql';

/** App page: journeys, touchpoints and the touchpoint-scope snapshots from a period on. */
export const ORG_QUERY = gql`
  query journeyGapMapOrg($fromPeriod: String) {
    uiapi {
      query {
        CX_Journey__c(
          where: { Active__c: { eq: true } }
          orderBy: { Name: { order: ASC } }
          first: 50
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Start_Point__c {
                value
              }
              End_Point__c {
                value
              }
            }
          }
        }
        CX_Touchpoint__c(first: 200, orderBy: { Stage_Order__c: { order: ASC } }) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Stage__c {
                value
                displayValue
              }
              Stage_Order__c {
                value
              }
              Journey__c {
                value
              }
              Process_Owner__r {
                Name {
                  value
                }
              }
            }
          }
        }
        CX_Score__c(
          where: { Scope__c: { eq: "Touchpoint" }, Period__c: { gte: $fromPeriod } }
          orderBy: { Period__c: { order: DESC } }
          first: 600
        ) {
          edges {
            node {
              Id
              Period__c {
                value
              }
              Touchpoint__c {
                value
              }
              Statistics__c {
                value
              }
              Settings__c {
                value
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`;

/** Account page, request 1: journeys, touchpoints and the account's snapshots. */
export const ACCOUNT_QUERY = gql`
  query journeyGapMapAccount($recordId: ID, $fromPeriod: String) {
    uiapi {
      query {
        CX_Journey__c(
          where: { Active__c: { eq: true } }
          orderBy: { Name: { order: ASC } }
          first: 50
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Start_Point__c {
                value
              }
              End_Point__c {
                value
              }
            }
          }
        }
        CX_Touchpoint__c(first: 200, orderBy: { Stage_Order__c: { order: ASC } }) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Stage__c {
                value
                displayValue
              }
              Stage_Order__c {
                value
              }
              Journey__c {
                value
              }
              Process_Owner__r {
                Name {
                  value
                }
              }
            }
          }
        }
        CX_Account_Score__c(
          where: { Account__c: { eq: $recordId }, Period__c: { gte: $fromPeriod } }
          orderBy: { Period__c: { order: DESC } }
          first: 13
        ) {
          edges {
            node {
              Id
              Period__c {
                value
              }
              Statistics__c {
                value
              }
              Settings__c {
                value
              }
              Includes_Through__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** Account page, request 2: rep captures the shown months' snapshots may not include yet. */
export const CAPTURES_QUERY = gql`
  query journeyGapMapCaptures($recordId: ID, $occurredFrom: DateTime, $createdAfter: DateTime) {
    uiapi {
      query {
        CX_Perception__c(
          where: {
            Account__c: { eq: $recordId }
            Source__c: { eq: "Rep_Capture" }
            Occurred_At__c: { gte: { value: $occurredFrom } }
            CreatedDate: { gt: { value: $createdAfter } }
          }
          orderBy: { CreatedDate: { order: DESC } }
          first: 200
        ) {
          edges {
            node {
              Id
              CreatedDate {
                value
              }
              Occurred_At__c {
                value
              }
              Channel__c {
                value
              }
              NPS__c {
                value
              }
              CSAT__c {
                value
              }
              CES__c {
                value
              }
              Expectation__c {
                value
              }
              Perception__c {
                value
              }
              Self_Rating__c {
                value
              }
              Answers__c {
                value
              }
              Touchpoint__r {
                Key__c {
                  value
                }
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`;
