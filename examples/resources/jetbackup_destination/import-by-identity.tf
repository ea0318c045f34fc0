# Terraform 1.12 and later: import by the resource's identity, its `id`
# (what `terraform query` writes in the import blocks it generates).
import {
  to = jetbackup_destination.local
  identity = {
    id = "6503e7a1ebbf07708d06f1c1"
  }
}
