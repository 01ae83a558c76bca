// lightning/uiObjectInfoApi on the local org's UI API
// (GET /services/data/v62.0/ui-api/object-info/...).
import { FetchingAdapter, loadDataOrError } from 'workbench/lds';
import { fieldApiNameOf, objectApiNameOf } from 'workbench/runtime';

const enc = encodeURIComponent;

/** @wire(getObjectInfo, {objectApiName}) -> {data: ObjectInfo, error} */
export class getObjectInfo extends FetchingAdapter {
  isReady(config) {
    return Boolean(config && objectApiNameOf(config.objectApiName));
  }

  load(config) {
    return loadDataOrError(`/ui-api/object-info/${enc(objectApiNameOf(config.objectApiName))}`);
  }
}

/** @wire(getObjectInfos, {objectApiNames}) -> {data: {results}, error} */
export class getObjectInfos extends FetchingAdapter {
  isReady(config) {
    return Boolean(config && Array.isArray(config.objectApiNames) && config.objectApiNames.length);
  }

  load(config) {
    const names = config.objectApiNames.map(objectApiNameOf).map(enc).join(',');
    return loadDataOrError(`/ui-api/object-info/batch/${names}`);
  }
}

/** @wire(getPicklistValues, {recordTypeId, fieldApiName}) -> {data: {values, defaultValue, controllerValues}, error} */
export class getPicklistValues extends FetchingAdapter {
  isReady(config) {
    return Boolean(config && config.recordTypeId && config.fieldApiName);
  }

  load(config) {
    const field = config.fieldApiName;
    const object = objectApiNameOf(field) || String(field).split('.')[0];
    return loadDataOrError(
      `/ui-api/object-info/${enc(object)}/picklist-values/${enc(config.recordTypeId)}/${enc(
        fieldApiNameOf(field)
      )}`
    );
  }
}

/** @wire(getPicklistValuesByRecordType, {objectApiName, recordTypeId}) -> {data: {picklistFieldValues}, error} */
export class getPicklistValuesByRecordType extends FetchingAdapter {
  isReady(config) {
    return Boolean(config && objectApiNameOf(config.objectApiName) && config.recordTypeId);
  }

  load(config) {
    return loadDataOrError(
      `/ui-api/object-info/${enc(objectApiNameOf(config.objectApiName))}/picklist-values/${enc(
        config.recordTypeId
      )}`
    );
  }
}
