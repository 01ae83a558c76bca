/**
 * The GraphQL documents of the scorecard. Every connection sets `first`
 * (GraphQL returns 10 rows otherwise).
 */
import { gql } from 'lightning/graphql';

/**
 * Account, request 1: the account's monthly snapshots from a period on, the
 * touchpoints (names, promises) and the recent cases, opportunities and
 * orders with the perceptions about each.
 */
export const ACCOUNT_QUERY = gql`
  query scorecardAccount($recordId: ID, $fromPeriod: String) {
    uiapi {
      query {
        CX_Account_Score__c(
          where: { Account__c: { eq: $recordId }, Period__c: { gte: $fromPeriod } }
          orderBy: { Period__c: { order: DESC } }
          first: 25
        ) {
          edges {
            node {
              Id
              Period__c {
                value
              }
              Responses__c {
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
        CX_Touchpoint__c(first: 200, orderBy: { Name: { order: ASC } }) {
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
              }
              Brand_Promise__c {
                value
              }
              Believed_Expectation__c {
                value
              }
              Importance_Weight__c {
                value
              }
            }
          }
        }
        Case(
          where: { AccountId: { eq: $recordId } }
          orderBy: { CreatedDate: { order: DESC } }
          first: 5
        ) {
          edges {
            node {
              Id
              CaseNumber {
                value
              }
              Subject {
                value
              }
              Status {
                value
              }
              CreatedDate {
                value
              }
              CX_Perceptions__r(first: 5, orderBy: { Occurred_At__c: { order: DESC } }) {
                edges {
                  node {
                    Id
                    Occurred_At__c {
                      value
                    }
                    Perception__c {
                      value
                    }
                    Gap__c {
                      value
                    }
                    NPS__c {
                      value
                    }
                    Touchpoint__r {
                      Name {
                        value
                      }
                    }
                  }
                }
              }
            }
          }
        }
        Opportunity(
          where: { AccountId: { eq: $recordId } }
          orderBy: { CreatedDate: { order: DESC } }
          first: 5
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              StageName {
                value
              }
              CloseDate {
                value
              }
              CreatedDate {
                value
              }
              CX_Perceptions__r(first: 5, orderBy: { Occurred_At__c: { order: DESC } }) {
                edges {
                  node {
                    Id
                    Occurred_At__c {
                      value
                    }
                    Perception__c {
                      value
                    }
                    Gap__c {
                      value
                    }
                    NPS__c {
                      value
                    }
                    Touchpoint__r {
                      Name {
                        value
                      }
                    }
                  }
                }
              }
            }
          }
        }
        Order(
          where: { AccountId: { eq: $recordId } }
          orderBy: { CreatedDate: { order: DESC } }
          first: 5
        ) {
          edges {
            node {
              Id
              OrderNumber {
                value
              }
              Status {
                value
              }
              EffectiveDate {
                value
              }
              CreatedDate {
                value
              }
              CX_Perceptions__r(first: 5, orderBy: { Occurred_At__c: { order: DESC } }) {
                edges {
                  node {
                    Id
                    Occurred_At__c {
                      value
                    }
                    Perception__c {
                      value
                    }
                    Gap__c {
                      value
                    }
                    NPS__c {
                      value
                    }
                    Touchpoint__r {
                      Name {
                        value
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/**
 * Account, request 2: the rep captures that the snapshots of the shown
 * months do not include yet (CreatedDate after the earliest cut-off among
 * them); the component then applies each month's own cut-off.
 */
export const CAPTURES_QUERY = gql`
  query scorecardCaptures($recordId: ID, $occurredFrom: DateTime, $createdAfter: DateTime) {
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

/**
 * Contact, Case, Opportunity and Order: the record's own perceptions (Ids
 * are unique across objects, so one `or` over the four lookups finds them),
 * the settings of the latest org-scope snapshot, the touchpoints and, on a
 * contact, the contact's recent cases with the perceptions about each.
 */
export const RECORD_QUERY = gql`
  query scorecardRecord($recordId: ID, $occurredFrom: DateTime) {
    uiapi {
      query {
        CX_Perception__c(
          where: {
            or: [
              { Contact__c: { eq: $recordId } }
              { Case__c: { eq: $recordId } }
              { Opportunity__c: { eq: $recordId } }
              { Order__c: { eq: $recordId } }
            ]
            Occurred_At__c: { gte: { value: $occurredFrom } }
          }
          orderBy: { Occurred_At__c: { order: DESC } }
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
              Gap__c {
                value
              }
              Answers__c {
                value
              }
              Touchpoint__r {
                Key__c {
                  value
                }
                Name {
                  value
                }
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        CX_Score__c(
          where: { Scope__c: { eq: "Org" } }
          orderBy: { Period__c: { order: DESC } }
          first: 1
        ) {
          edges {
            node {
              Id
              Period__c {
                value
              }
              Settings__c {
                value
              }
            }
          }
        }
        CX_Touchpoint__c(first: 200, orderBy: { Name: { order: ASC } }) {
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
              }
              Brand_Promise__c {
                value
              }
              Believed_Expectation__c {
                value
              }
              Importance_Weight__c {
                value
              }
            }
          }
        }
        Case(
          where: { ContactId: { eq: $recordId } }
          orderBy: { CreatedDate: { order: DESC } }
          first: 5
        ) {
          edges {
            node {
              Id
              CaseNumber {
                value
              }
              Subject {
                value
              }
              Status {
                value
              }
              CreatedDate {
                value
              }
              CX_Perceptions__r(first: 5, orderBy: { Occurred_At__c: { order: DESC } }) {
                edges {
                  node {
                    Id
                    Occurred_At__c {
                      value
                    }
                    Perception__c {
                      value
                    }
                    Gap__c {
                      value
                    }
                    NPS__c {
                      value
                    }
                    Touchpoint__r {
                      Name {
                        value
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;
