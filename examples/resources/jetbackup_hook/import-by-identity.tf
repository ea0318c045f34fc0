# Terraform 1.12 and later: import by the resource's identity, its `id`
# (what `terraform query` writes in the import blocks it generates).
import {
  to = jetbackup_hook.dump
  identity = {
    id = "6509273a7cc0fb810207f612"
  }
}
