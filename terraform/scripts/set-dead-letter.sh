#!/usr/bin/env sh
# Sets the dead-letter policy on the Pub/Sub subscription Eventarc created for the cleanup trigger.
set -eu
subscription=$(gcloud eventarc triggers describe "$(basename "$TRIGGER")" --project "$PROJECT" \
  --location "$REGION" --format 'value(transport.pubsub.subscription)')
gcloud pubsub subscriptions update "$subscription" --project "$PROJECT" \
  --dead-letter-topic "$DEAD_LETTER_TOPIC" --max-delivery-attempts "$MAX_ATTEMPTS" \
  --min-retry-delay 10s --max-retry-delay 600s
