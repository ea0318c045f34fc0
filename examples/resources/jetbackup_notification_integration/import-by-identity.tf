# Terraform 1.12 and later: import by the resource's identity, its `id`
# (what `terraform query` writes in the import blocks it generates).
import {
  to = jetbackup_notification_integration.ops
  identity = {
    id = "6509fbecaa590ab6b3060b32"
  }
}
