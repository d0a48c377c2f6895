"""What every feature's handlers share: types of the middleware data, the callback data of
every button, the conversation object kept in the FSM, answers to text that cannot be taken,
and editing a message in place."""
