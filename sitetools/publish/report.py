"""What a publish or rollback did, printed for the person running it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    target: str
    where: str
    release: str
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    rollback: bool = False
    streamed: bool = False  # the + / - lines were already printed as they happened

    def lines(self) -> list[str]:
        verb = "Would publish" if self.dry_run else "Rolled back to" if self.rollback else "Published"
        out = [] if self.streamed else [f"  + {name}" for name in self.uploaded]
        out += [] if self.streamed else [f"  - {name}" for name in self.deleted]
        out.append(
            f"{verb} release {self.release} to {self.target} ({self.where}): {len(self.uploaded)} uploaded, "
            f"{len(self.deleted)} deleted, {self.unchanged} unchanged, in {self.seconds:.1f} s."
        )
        return out
