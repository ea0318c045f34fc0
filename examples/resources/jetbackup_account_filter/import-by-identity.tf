# Terraform 1.12 and later: import by the resource's identity, its `id`
# (what `terraform query` writes in the import blocks it generates).
import {
  to = jetbackup_account_filter.no_resellers
  identity = {
    id = "6503e82270c7bdb29f08c6c2"
  }
}
