/** Event types this module understands (https://learn.microsoft.com/azure/event-grid/event-schema-container-registry). */
export const ACR_IMAGE_PUSHED = 'Microsoft.ContainerRegistry.ImagePushed';
export const ACR_IMAGE_DELETED = 'Microsoft.ContainerRegistry.ImageDeleted';
/** Sent once when a webhook subscription is created (https://learn.microsoft.com/azure/event-grid/webhook-event-delivery). */
export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';
/** Header Event Grid sets on the validation handshake request. */
export const EVENT_TYPE_HEADER = 'aeg-event-type';

/** Event Grid delivers at most 5,000 events per batch; anything larger is not a delivery. */
export const MAX_EVENTS_PER_DELIVERY = 5_000;

/** OCI distribution-spec repository name grammar (path components of lowercase alphanumerics and separators). */
export const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
export const MAX_REPOSITORY_LENGTH = 255;
/** OCI tag grammar. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** OCI image-spec digest grammar; registered algorithms are checked for their exact encoded length below. */
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
export const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };
/** Registry host as ACR reports it: DNS name or IPv4, optional port. */
export const REGISTRY_HOST_PATTERN = /^(?=.{1,253}(?::\d{1,5})?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;
