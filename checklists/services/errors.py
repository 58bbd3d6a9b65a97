"""What a refused action raises: str() is the message to show."""


class ServiceError(Exception):
    """A refused action; str() is the message to show."""


class IllegalTransition(ServiceError):
    pass


class NotPermitted(ServiceError):
    pass


class EditConflict(ServiceError):
    """Someone saved the record since this user loaded it."""

    def __init__(self, message, current):
        super().__init__(message)
        self.current = current
